package io.ghostrooms.server.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * netty-socketio keeps the handshake request's headers for the whole life of a connection, and
 * reads only {@code Origin} from them again (for every packet it sends). Once the connection is
 * established the rest (cookies, user agent, websocket keys: ~1 KB per connection from a script,
 * more from a browser) is memory held for nothing, and data about the user we have no use for.
 */
final class HandshakeHeaders {
    private HandshakeHeaders() {
    }

    /**
     * Removes every header but Origin. The Origin entry itself is never unlinked, so a packet sent
     * meanwhile from another thread still finds it.
     */
    public static void keepOnlyOrigin(HttpHeaders headers) {
        for (String name : List.copyOf(headers.names())) {
            if (!HttpHeaderNames.ORIGIN.contentEqualsIgnoreCase(name)) {
                headers.remove(name);
            }
        }
    }
}
