package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.ghostrooms.server.TestServer;
import io.netty.channel.ChannelPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the server keeps for one connected websocket, through the real server and a real websocket
 * handshake (Engine.IO 4, as socket.io-client 4 does it).
 */
class WebSocketConnectionTest {
    private static TestServer server;
    private static WebSocket socket;

    @BeforeAll
    static void connect() throws Exception {
        server = new TestServer();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://chat.example")
                .header("Cookie", "theme=dark; tracker=abc")
                .buildAsync(URI.create(server.url("/socket.io/?EIO=4&transport=websocket").replace("http:", "ws:")),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                ws.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        assertTrue(frames.poll(10, TimeUnit.SECONDS).startsWith("0{"), "Engine.IO open");
        socket.sendText("40", true);
        assertTrue(frames.poll(10, TimeUnit.SECONDS).startsWith("40{"), "Socket.IO connect");
    }

    @AfterAll
    static void stop() {
        socket.abort();
        server.close();
    }

    @Test
    void ofItsHandshakeHeadersOnlyTheOriginIsKept() {
        NamespaceClient client = onlyClient();

        assertEquals(Set.of("Origin"), client.getHandshakeData().getHttpHeaders().names());
        assertEquals("https://chat.example", client.getBaseClient().getOrigin());
    }

    @Test
    void itsPipelineHasNoHttpStagesLeft() throws Exception {
        NamespaceClient client = onlyClient();
        ChannelPipeline pipeline = client.getBaseClient()
                .send(new Packet(PacketType.NOOP, client.getEngineIOVersion()), Transport.WEBSOCKET)
                .await().channel().pipeline();

        List<String> stages = pipeline.names();
        for (String http : List.of("ghostroomsRest", "ghostroomsUpload", "ghostroomsBodyLimit", "authorizeHandler",
                "xhrPollingTransport", "ghostroomsPollingHandoff", "ghostroomsPollingPostOrder", "wrongUrlBlocker")) {
            assertFalse(stages.contains(http), http + " still in " + stages);
        }
        assertTrue(stages.containsAll(List.of("webSocketTransport", "packetHandler", "ghostroomsTransportGuard")), stages.toString());
    }

    private static NamespaceClient onlyClient() {
        List<SocketIOClient> clients = List.copyOf(server.server().transport().socketClients());
        assertEquals(1, clients.size());
        return (NamespaceClient) clients.get(0);
    }
}
