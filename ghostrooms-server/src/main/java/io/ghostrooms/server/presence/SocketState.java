package io.ghostrooms.server.presence;

import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.transport.Connection;

/** What the server knows about one connected socket. Fields change only on its serial executor. */
public final class SocketState {
    private final Connection connection;
    private final SerialExecutor events;
    private volatile SessionContext session;
    private volatile String username;
    /**
     * True when the server ended the socket's last session (its room expired or closed): its
     * heartbeat then answers SESSION_EXPIRED. A socket that never joined, or left by itself, is
     * simply in no room, and its heartbeat is answered with nothing (the lobby sends them too).
     */
    private volatile boolean sessionEndedByServer;

    public SocketState(Connection connection, SerialExecutor events) {
        this.connection = connection;
        this.events = events;
    }

    public String id() {
        return connection.id();
    }

    public Connection connection() {
        return connection;
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
        if (session != null) {
            this.sessionEndedByServer = false;
        }
    }

    public boolean sessionEndedByServer() {
        return sessionEndedByServer;
    }

    void sessionEndedByServer(boolean ended) {
        this.sessionEndedByServer = ended;
    }

    public String username() {
        return username;
    }

    void username(String username) {
        this.username = username;
    }
}
