package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.ghostrooms.server.config.Config;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.EventExecutor;
import io.ghostrooms.server.common.Telemetry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of the port: netty-socketio, configured and patched, behind {@link Connection},
 * {@link SocketListener} and {@link Broadcasts}. Nothing outside this package sees a netty-socketio
 * type; the bootstrap makes one, gives it the HTTP stages and a listener, starts and stops it.
 */
public final class SocketTransport implements Broadcasts {
    /** The netty-socketio release every patch in this package was written and tested against. */
    public static final String PATCHED_NETTY_SOCKETIO = "2.0.14";
    public static final String SOCKET_PATH = "/socket.io";
    static final int UPGRADE_TIMEOUT_MS = 10_000;
    static final int MAX_FRAME_BYTES = 128 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    private final SocketIOServer server;
    private final WebSocketFanout fanout;
    private final GhostRoomsPipeline pipeline;
    private final SlowReaders slowReaders;
    private final Telemetry telemetry;
    private final ConcurrentHashMap<UUID, ClientConnection> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    /**
     * Set first thing on stop: connections accepted from then on are closed at once, so a
     * shutting-down server takes no new clients while it drains the writer for the open ones
     * (netty-socketio closes its listening socket only with everything else, at the end).
     */
    private volatile boolean draining;

    public SocketTransport(Config config, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.slowReaders = new SlowReaders(telemetry);
        this.server = new SocketIOServer(configuration(config));
        WebSocketChannels websockets = new WebSocketChannels(GhostRoomsPipeline.HTTP_ONLY);
        this.fanout = new WebSocketFanout(websockets, MAX_FRAME_BYTES, ByteBufAllocator.DEFAULT, telemetry);
        this.pipeline = new GhostRoomsPipeline(new TransportGuard(SOCKET_PATH, server::getClient),
                new UpgradeProbeNudge(server::getClient, UPGRADE_TIMEOUT_MS), websockets, slowReaders, () -> draining);
        releaseDefaultPipelineFactory(server);
        server.setPipelineFactory(pipeline);
    }

    /**
     * The HTTP side of the port (REST, uploads, body limits), before start. Given after construction
     * because REST needs the services, and the services need this transport's broadcasts.
     */
    public void serveHttp(HttpStages http) {
        pipeline.serveHttp(http);
    }

    /** Registers the listener (before start): connect, disconnect and its events, payloads as JSON. */
    public void listen(SocketListener listener) {
        server.addConnectListener(client -> {
            HandshakeHeaders.keepOnlyOrigin(client.getHandshakeData().getHttpHeaders());
            ClientConnection connection = connectionOf(client);
            if (connection.startCounting()) {
                perIp.computeIfAbsent(connection.remoteIp(), ip -> new AtomicInteger()).incrementAndGet();
            }
            listener.connected(connection);
        });
        server.addDisconnectListener(client -> {
            ClientConnection connection = connections.remove(client.getSessionId());
            if (connection == null) {
                connection = new ClientConnection(client, slowReaders, telemetry);
            }
            if (connection.stopCounting()) {
                perIp.computeIfPresent(connection.remoteIp(), (ip, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
            listener.disconnected(connection);
        });
        for (String event : listener.events()) {
            server.addEventListener(event, JsonNode.class,
                    (client, data, ack) -> listener.event(connectionOf(client), event, data, ackOf(ack)));
        }
    }

    /**
     * With long-polling the CONNECT and the first event can arrive on different HTTP connections and
     * event loops, so a client may be seen first by an event: its connection is made then.
     */
    private ClientConnection connectionOf(SocketIOClient client) {
        return connections.computeIfAbsent(client.getSessionId(), id -> new ClientConnection(client, slowReaders, telemetry));
    }

    private static Ack ackOf(AckRequest request) {
        if (request == null || !request.isAckRequested()) {
            return Ack.NONE;
        }
        return new Ack() {
            @Override
            public boolean requested() {
                return true;
            }

            @Override
            public void send(Object payload) {
                request.sendAckData(payload);
            }
        };
    }

    public void start() {
        server.start();
    }

    /** New connections are refused from now on; open ones stay until {@link #stop}. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * netty-socketio's stop() waits without a bound for its event loops to terminate; one whose
     * thread died (seen after a jar was replaced under a running server) never does, and SIGTERM
     * then hung forever. Shutdown goes on after the bound; the process exits anyway.
     */
    public void stopWithin(long timeout, TimeUnit unit) {
        draining = true;
        Thread stopper = new Thread(server::stop, "socket-server-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(unit.toMillis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            // Usual with live connections: Netty's graceful shutdown waits for 2 quiet seconds.
            log.info("socket event loops still stopping after {} s; exiting without waiting for them", unit.toSeconds(timeout));
        }
    }

    @Override
    public void join(Connection connection, String room) {
        clientOf(connection).joinRoom(room);
    }

    @Override
    public void leave(Connection connection, String room) {
        clientOf(connection).leaveRoom(room);
    }

    private static SocketIOClient clientOf(Connection connection) {
        return ((ClientConnection) connection).client();
    }

    @Override
    public void toRoom(String room, OutboundEvent event, String exceptId) {
        deliver(server.getRoomOperations(room).getClients(), exceptId, event);
    }

    @Override
    public void toEveryone(OutboundEvent event) {
        deliver(server.getAllClients(), null, event);
    }

    /**
     * One encoding per broadcast: one websocket frame for every member on a websocket, and raw JSON
     * for netty-socketio to copy into the packets of the others.
     */
    private void deliver(Iterable<SocketIOClient> clients, String exceptId, OutboundEvent event) {
        String frame;
        try {
            frame = "42[" + OutboundEvent.JSON.writeValueAsString(event.name()) + "," + event.json() + "]";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserializable event name", e);
        }
        RawValue raw = new RawValue(event.json());
        fanout.send(clients, exceptId == null ? null : uuidOrNull(exceptId), frame.getBytes(StandardCharsets.UTF_8),
                client -> {
                    if (slowReaders.admit(client)) {
                        client.sendEvent(event.name(), raw);
                    }
                });
    }

    private static UUID uuidOrNull(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** Open connections by their current transport ("websocket", "polling"), counted now. */
    public long connections(String transport) {
        long n = 0;
        for (SocketIOClient client : server.getAllClients()) {
            if (client.getTransport().getValue().equals(transport)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The event loops of the server (netty-socketio keeps its groups private; read once the server
     * has started them).
     */
    public Iterable<EventExecutor> eventLoops() {
        List<EventExecutor> loops = new ArrayList<>();
        for (String field : List.of("bossGroup", "workerGroup")) {
            try {
                java.lang.reflect.Field f = SocketIOServer.class.getDeclaredField(field);
                f.setAccessible(true);
                if (f.get(server) instanceof EventLoopGroup group) {
                    group.forEach(loops::add);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("event loops not readable ({})", e.getClass().getSimpleName());
            }
        }
        return loops;
    }

    /** Open Socket.IO connections from this address (the handshake cap). */
    int connectionsFrom(String ip) {
        AtomicInteger n = perIp.get(ip);
        return n == null ? 0 : n.get();
    }

    /** The connected netty-socketio clients, for tests that look at what is kept per connection. */
    Collection<SocketIOClient> socketClients() {
        return server.getAllClients();
    }

    private Configuration configuration(Config config) {
        Configuration c = new Configuration();
        c.setPort(config.port());
        c.setContext(SOCKET_PATH);
        c.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        c.setUseLinuxNativeEpoll(Epoll.isAvailable());
        c.setBossThreads(1);
        c.setWorkerThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
        c.setMaxFramePayloadLength(MAX_FRAME_BYTES);
        c.setMaxHttpContentLength(maxPollingBodyBytes(config));
        c.setPingInterval(25_000);
        c.setPingTimeout(20_000);
        c.setFirstDataTimeout(10_000);
        c.setUpgradeTimeout(UPGRADE_TIMEOUT_MS);
        c.setAddVersionHeader(false);
        // HttpContentCompressor pairs each response with a request it saw; responses written for
        // requests that handlers before it consumed (413 refusals) would fail. Payloads are small.
        c.setHttpCompression(false);
        // No permessage-deflate, as engine.io 4 (the Node original) defaults: a deflate context
        // costs ~180 KB of native memory per idle connection against ~6 KB without, chat frames
        // are small, and netty-socketio inflated messages without a bound (a 128 KB frame of
        // compressed zeros became 100+ MB). Clients that offer it simply send uncompressed.
        c.setWebsocketCompression(false);
        c.setRandomSession(true);
        // Acks are sent by the handlers once the work is done (after commit), never automatically.
        c.setAckMode(AckMode.MANUAL);
        c.setAllowHeaders("Content-Type, Authorization");
        if (!config.allowsAnyOrigin() && config.corsOrigins().size() == 1) {
            c.setOrigin(config.corsOrigins().get(0));
        }
        // The per-IP connection cap: a handshake beyond it is refused (401) before any state exists.
        c.setAuthorizationListener(data -> {
            InetSocketAddress address = data.getAddress();
            String ip = address != null && address.getAddress() != null ? address.getAddress().getHostAddress() : "unknown";
            return connectionsFrom(ip) < config.maxConnectionsPerIp()
                    ? AuthorizationResult.SUCCESSFUL_AUTHORIZATION : AuthorizationResult.FAILED_AUTHORIZATION;
        });
        SocketConfig socket = new SocketConfig();
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        c.setSocketConfig(socket);
        c.setExceptionListener(new QuietExceptionListener());
        return c;
    }

    /** A polling body carries at most 128 KB or MAX_HTTP_BODY_KB, whichever is larger. */
    public static int maxPollingBodyBytes(Config config) {
        return Math.max(128, config.maxHttpBodyKb()) * 1024;
    }

    /**
     * SocketIOServer builds a default initializer that ours replaces; its timer, never started nor
     * stopped, was reported by Netty's leak detector (an ERROR with a stack trace) once collected.
     * Its stop() needs a started initializer, so the timer is shut down directly.
     */
    private static void releaseDefaultPipelineFactory(SocketIOServer server) {
        try {
            java.lang.reflect.Field factory = SocketIOServer.class.getDeclaredField("pipelineFactory");
            factory.setAccessible(true);
            java.lang.reflect.Field scheduler = SocketIOChannelInitializer.class.getDeclaredField("scheduler");
            scheduler.setAccessible(true);
            ((CancelableScheduler) scheduler.get(factory.get(server))).shutdown();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("default Socket.IO pipeline not released ({})", e.getClass().getSimpleName());
        }
    }
}
