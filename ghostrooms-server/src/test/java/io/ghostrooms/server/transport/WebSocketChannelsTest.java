package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.store.MemoryStoreFactory;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** netty-socketio's own client session binding a channel, as its transports do. */
class WebSocketChannelsTest {
    private static final String HTTP_STAGE = "httpStage";
    private static final String KEPT_STAGE = "keptStage";
    private static final String TAIL = "webSocketChannels";

    private final WebSocketChannels websockets = new WebSocketChannels(List.of(HTTP_STAGE, "neverAdded"));

    @Test
    void aChannelBoundAsASessionsWebSocketDropsTheHttpOnlyStages() {
        EmbeddedChannel channel = pipeline();

        session(Transport.WEBSOCKET).bindChannel(channel, Transport.WEBSOCKET);

        assertEquals(List.of(KEPT_STAGE, TAIL), stages(channel));
    }

    @Test
    void laterPacketsOnTheWebSocketStillGoOutAfterTheStagesAreGone() {
        EmbeddedChannel channel = pipeline();
        ClientHead session = session(Transport.WEBSOCKET);
        session.bindChannel(channel, Transport.WEBSOCKET);
        channel.outboundMessages().clear();

        session.send(new Packet(PacketType.NOOP, session.getEngineIOVersion()), Transport.WEBSOCKET);

        assertEquals(1, channel.outboundMessages().size(), "packets written after the drop");
        assertEquals(List.of(KEPT_STAGE, TAIL), stages(channel));
    }

    @Test
    void aLongPollingChannelKeepsItsHttpStages() {
        EmbeddedChannel channel = pipeline();

        session(Transport.POLLING).bindChannel(channel, Transport.POLLING);

        assertEquals(List.of(HTTP_STAGE, KEPT_STAGE, TAIL), stages(channel));
    }

    private EmbeddedChannel pipeline() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(HTTP_STAGE, new Stage());
        channel.pipeline().addLast(KEPT_STAGE, new Stage());
        channel.pipeline().addLast(TAIL, websockets);
        return channel;
    }

    private static ClientHead session(Transport transport) {
        return new ClientHead(UUID.randomUUID(), null, client -> { }, new MemoryStoreFactory(),
                new HandshakeData(new DefaultHttpHeaders(), Map.of(), new InetSocketAddress("127.0.0.1", 1), "/socket.io", false),
                new ClientsBox(), transport, null, new Configuration(), Map.of());
    }

    private static List<String> stages(EmbeddedChannel channel) {
        return channel.pipeline().names().stream().filter(name -> !name.startsWith("DefaultChannelPipeline$")).toList();
    }

    @Sharable
    private static final class Stage extends ChannelInboundHandlerAdapter {
    }
}
