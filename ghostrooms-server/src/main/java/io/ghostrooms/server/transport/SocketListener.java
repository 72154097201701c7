package io.ghostrooms.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the transport reports about its clients. Every method is called on a Netty event loop:
 * implementations only hand work over, they never block.
 */
public interface SocketListener {
    /** The event names the listener handles; others are ignored by the transport. */
    Set<String> events();

    /** The client completed the Socket.IO connect. May come after its first event over polling. */
    void connected(Connection connection);

    /** An event with its payload as JSON (null when there was none). */
    void event(Connection connection, String event, JsonNode data, Ack ack);

    /** The client is gone: closed, timed out, or refused. Called once per connection. */
    void disconnected(Connection connection);
}
