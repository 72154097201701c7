package io.ghostrooms.server.transport;

/**
 * One connected Socket.IO client as the rest of the server sees it: no netty-socketio type leaks
 * through here, so services and handlers stay the same whatever carries the socket (one node, or
 * a cluster whose bus reaches members on other nodes).
 */
public interface Connection {
    /** The Engine.IO session id: unique among live connections, safe to log (not a bearer secret). */
    String id();

    /** The client's address, for per-IP limits; never logged. */
    String remoteIp();

    /** Sends one event to this client only. Non-blocking, safe from any thread. */
    void send(String event, Object payload);

    /** Ends the connection (a DISCONNECT packet, then the transport closes). */
    void close();
}
