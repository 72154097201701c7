package io.ghostrooms.server.presence;

import com.corundumstudio.socketio.SocketIOClient;
import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.sessions.SessionContext;
import java.util.UUID;

/** What the server knows about one connected socket. Fields change only on its serial executor. */
public final class SocketState {
    private final SocketIOClient client;
    private final SerialExecutor events;
    private volatile SessionContext session;
    private volatile String username;

    public SocketState(SocketIOClient client, SerialExecutor events) {
        this.client = client;
        this.events = events;
    }

    /** The client's address, for per-IP limits. */
    public String ip() {
        return client.getRemoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "unknown";
    }

    public UUID id() {
        return client.getSessionId();
    }

    public SocketIOClient client() {
        return client;
    }

    public SerialExecutor events() {
        return events;
    }

    /** The session this socket joined a room with, or null when in no room. */
    public SessionContext session() {
        return session;
    }

    void session(SessionContext session) {
        this.session = session;
    }

    public String username() {
        return username;
    }

    void username(String username) {
        this.username = username;
    }
}
