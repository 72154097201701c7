package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.ghostrooms.server.common.Telemetry;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Connection} over a netty-socketio client; one per client, made on first sight. */
final class ClientConnection implements Connection {
    private static final int NEW = 0;
    private static final int COUNTED = 1;
    private static final int GONE = 2;

    private final SocketIOClient client;
    private final SlowReaders slowReaders;
    private final Telemetry telemetry;
    private final String id;
    private final String ip;
    /** Whether this connection is counted against its IP's cap: connect and disconnect may race. */
    private final AtomicInteger counting = new AtomicInteger(NEW);

    ClientConnection(SocketIOClient client, SlowReaders slowReaders, Telemetry telemetry) {
        this.client = client;
        this.slowReaders = slowReaders;
        this.telemetry = telemetry;
        this.id = client.getSessionId().toString();
        this.ip = client.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "unknown";
    }

    SocketIOClient client() {
        return client;
    }

    /** True the one time this connection should be counted (not if it is gone already). */
    boolean startCounting() {
        return counting.compareAndSet(NEW, COUNTED);
    }

    /** True if it was counted and must now be uncounted. */
    boolean stopCounting() {
        return counting.getAndSet(GONE) == COUNTED;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String remoteIp() {
        return ip;
    }

    @Override
    public void send(String event, Object payload) {
        if (slowReaders.admit(client)) {
            client.sendEvent(event, payload);
            telemetry.delivered(1);
        }
    }

    /**
     * The whole Engine.IO session ends. (netty-socketio 2.0.14's SocketIOClient.disconnect() only
     * queues a DISCONNECT packet: nothing ends until the client reads it, which one that stopped
     * reading never does.)
     */
    @Override
    public void close() {
        if (client instanceof NamespaceClient namespaceClient) {
            namespaceClient.getBaseClient().disconnect();
        } else {
            client.disconnect();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConnection other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "connection " + id;
    }
}
