package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.store.MemoryStoreFactory;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HandshakeHeadersTest {
    @Test
    void aBrowsersHandshakeKeepsOnlyItsOriginAndNettySocketioStillReadsIt() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Host", "chat.example:3000")
                .add("Origin", "https://chat.example")
                .add("Cookie", "theme=dark; tracker=abc")
                .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        ClientHead client = clientWith(headers);

        HandshakeHeaders.keepOnlyOrigin(headers);

        assertEquals(Set.of("Origin"), headers.names());
        assertEquals("https://chat.example", client.getOrigin());
    }

    @Test
    void aHandshakeWithoutOriginKeepsNoHeader() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "127.0.0.1:3000").add("Connection", "Upgrade");
        ClientHead client = clientWith(headers);

        HandshakeHeaders.keepOnlyOrigin(headers);

        assertTrue(headers.isEmpty());
        assertNull(client.getOrigin());
    }

    private static ClientHead clientWith(HttpHeaders headers) {
        return new ClientHead(UUID.randomUUID(), null, client -> { }, new MemoryStoreFactory(),
                new HandshakeData(headers, Map.of(), new InetSocketAddress("127.0.0.1", 1), "/socket.io", false),
                new ClientsBox(), Transport.WEBSOCKET, null, new Configuration(), Map.of());
    }
}
