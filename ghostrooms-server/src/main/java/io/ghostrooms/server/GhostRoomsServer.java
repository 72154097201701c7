package io.ghostrooms.server;

import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.listener.ExceptionListener;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.files.FileStore;
import io.ghostrooms.server.files.HttpFileStore;
import io.ghostrooms.server.files.LocalFileStore;
import io.ghostrooms.server.files.UploadRegistry;
import io.ghostrooms.server.files.UploadService;
import io.ghostrooms.server.http.BodyLimitHandler;
import io.ghostrooms.server.http.Cors;
import io.ghostrooms.server.http.IdleConnectionCloser;
import io.ghostrooms.server.http.RestApi;
import io.ghostrooms.server.http.RestHandler;
import io.ghostrooms.server.http.UnhandledFailureCloser;
import io.ghostrooms.server.http.UploadHandler;
import io.ghostrooms.server.jobs.RoomLifecycle;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import io.ghostrooms.server.socket.CompletePacketEncoder;
import io.ghostrooms.server.socket.GlobalBroadcasts;
import io.ghostrooms.server.socket.PollingHandoff;
import io.ghostrooms.server.socket.PollingPostOrder;
import io.ghostrooms.server.socket.SocketGateway;
import io.ghostrooms.server.socket.SocketNotifier;
import io.ghostrooms.server.socket.TransportGuard;
import io.ghostrooms.server.socket.UpgradeProbeNudge;
import io.ghostrooms.server.socket.WebSocketChannels;
import io.ghostrooms.server.transport.FramingGuard;
import io.ghostrooms.server.transport.PipelinedRequestGate;
import io.ghostrooms.server.transport.StrictHttpRequestDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where everything is constructed and wired, started and stopped. */
public final class GhostRoomsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GhostRoomsServer.class);
    private static final String SOCKET_PATH = "/socket.io";
    private static final int UPGRADE_TIMEOUT_MS = 10_000;
    private static final int MAX_FRAME_BYTES = 128 * 1024;
    /** Longer than the ping interval, so only dead or stalled connections reach it. */
    private static final int IDLE_CONNECTION_SECONDS = 60;
    private static final String UPLOAD_HANDLER = "ghostroomsUpload";
    private static final String BODY_LIMIT_HANDLER = "ghostroomsBodyLimit";
    private static final String REST_HANDLER = "ghostroomsRest";
    private static final String POLLING_HANDOFF = "ghostroomsPollingHandoff";
    private static final String POLLING_POST_ORDER = "ghostroomsPollingPostOrder";
    private static final String REQUEST_GATE = "ghostroomsRequestGate";
    private static final String FRAMING_GUARD = "ghostroomsFramingGuard";
    private static final String RESPONSE_WATCHER = "ghostroomsResponseWatcher";
    /**
     * The pipeline stages that only ever see HTTP requests or polling answers: dropped once a
     * connection has become a websocket. Not the idle closer, the transport guard (it also checks
     * websocket packets) or the upgrade nudge (the probe frame comes after the channel is bound).
     */
    private static final List<String> HTTP_ONLY_HANDLERS = List.of(UPLOAD_HANDLER, BODY_LIMIT_HANDLER, REST_HANDLER,
            SocketIOChannelInitializer.AUTHORIZE_HANDLER, POLLING_HANDOFF, SocketIOChannelInitializer.XHR_POLLING_TRANSPORT,
            SocketIOChannelInitializer.WRONG_URL_HANDLER, POLLING_POST_ORDER, REQUEST_GATE, FRAMING_GUARD, RESPONSE_WATCHER);

    private final Config config;
    private final Database database;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;
    private final SocketIOServer socketServer;
    private final MessageService messages;
    private final RoomLifecycle lifecycle;
    /**
     * Set first thing on close: connections accepted from then on are closed at once, so a
     * shutting-down server takes no new clients while it drains the writer for the open ones
     * (netty-socketio closes its listening socket only with everything else, at the end).
     */
    private volatile boolean draining;

    public GhostRoomsServer(Config config) throws IOException {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.database = Database.open(config.database(), config.dbPoolSize());
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(20_000), daemonThreads("worker"));
        this.scheduler = Executors.newScheduledThreadPool(1, daemonThreads("scheduler"));
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        FileStore fileStore = config.fileServerUrl() != null
                ? new HttpFileStore(config.fileServerUrl(), config.publicUrl())
                : new LocalFileStore(config.uploadDir(), config.publicUrl());
        Cors cors = new Cors(config.corsOrigins());
        Presence presence = new Presence();
        this.socketServer = new SocketIOServer(socketConfiguration(config, presence));
        WebSocketChannels websockets = new WebSocketChannels(HTTP_ONLY_HANDLERS);
        SocketNotifier notifier = new SocketNotifier(socketServer, websockets, MAX_FRAME_BYTES);
        UploadRegistry uploadRegistry = new UploadRegistry();
        Tokens tokens = new Tokens();

        GlobalBroadcastsHolder holder = new GlobalBroadcastsHolder();
        SessionService sessions = new SessionService(database, clock);
        RoomService rooms = new RoomService(database, config, tokens, clock, sessions,
                () -> holder.value.publicRoomsChanged());
        GlobalBroadcasts globals = new GlobalBroadcasts(notifier, presence, rooms);
        holder.value = globals;
        this.messages = new MessageService(database, config, clock, sessions, uploadRegistry, notifier, 500);
        FileService files = new FileService(database, fileStore, uploadRegistry, clock, workers);
        UploadService uploads = new UploadService(database, fileStore, uploadRegistry, config, clock);
        this.lifecycle = new RoomLifecycle(rooms, sessions, messages, files, presence, notifier, globals, scheduler,
                workers, clock, config);
        new SocketGateway(presence, rooms, sessions, messages, files, lifecycle, globals, notifier, workers,
                config.rateLimitSocketEventsPerMinute()).register(socketServer);

        RestApi api = new RestApi(json, rooms, sessions, messages, files, uploads, database, config, clock);
        RestHandler rest = new RestHandler(api, cors, json, workers, SOCKET_PATH);
        UpgradeProbeNudge upgradeNudge = UpgradeProbeNudge.forServer(socketServer, UPGRADE_TIMEOUT_MS);
        TransportGuard transportGuard = TransportGuard.forServer(SOCKET_PATH, socketServer);
        UnhandledFailureCloser unhandledFailures = new UnhandledFailureCloser();
        PollingPostOrder pollingPostOrder = new PollingPostOrder();
        PollingHandoff pollingHandoff = new PollingHandoff();
        releaseDefaultPipelineFactory(socketServer);
        socketServer.setPipelineFactory(new SocketIOChannelInitializer() {
            /** netty-socketio's encoder, but one that loses no packet of a busy poll (CompletePacketEncoder). */
            private EncoderHandler completeEncoder;
            private io.netty.handler.codec.http.HttpDecoderConfig httpDecoderConfig;

            @Override
            public void start(Configuration configuration, NamespacesHub namespacesHub) {
                super.start(configuration, namespacesHub);
                httpDecoderConfig = configuration.getHttpDecoderConfig();
                try {
                    completeEncoder = new EncoderHandler(configuration,
                            new CompletePacketEncoder(configuration, configuration.getJsonSupport()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            protected void initChannel(io.netty.channel.Channel channel) throws Exception {
                if (draining) {
                    channel.close();
                    return;
                }
                super.initChannel(channel);
            }

            @Override
            protected void addSocketioHandlers(ChannelPipeline pipeline) {
                super.addSocketioHandlers(pipeline);
                pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, completeEncoder);
                // HTTP/1.1 framing (RFC 9112): unambiguous bodies, one request at a time, HEAD without body.
                pipeline.replace(HTTP_REQUEST_DECODER, HTTP_REQUEST_DECODER, new StrictHttpRequestDecoder(httpDecoderConfig));
                PipelinedRequestGate gate = new PipelinedRequestGate(SOCKET_PATH);
                pipeline.addAfter(HTTP_REQUEST_DECODER, REQUEST_GATE, gate);
                pipeline.addAfter(REQUEST_GATE, FRAMING_GUARD, new FramingGuard());
                pipeline.addAfter(HTTP_ENCODER, RESPONSE_WATCHER, gate.responses());
                pipeline.addFirst("ghostroomsIdle", new IdleConnectionCloser(IDLE_CONNECTION_SECONDS));
                pipeline.addBefore(HTTP_AGGREGATOR, UPLOAD_HANDLER, new UploadHandler(uploads, cors, workers, rest));
                pipeline.addBefore(HTTP_AGGREGATOR, BODY_LIMIT_HANDLER,
                        new BodyLimitHandler(config.maxHttpBodyKb() * 1024L, SOCKET_PATH, maxPollingBodyBytes(config), rest));
                pipeline.addBefore(PACKET_HANDLER, REST_HANDLER, rest);
                pipeline.addBefore(PACKET_HANDLER, "ghostroomsTransportGuard", transportGuard);
                pipeline.addBefore(WEB_SOCKET_TRANSPORT, "ghostroomsUpgradeNudge", upgradeNudge);
                pipeline.addBefore(XHR_POLLING_TRANSPORT, POLLING_HANDOFF, pollingHandoff);
                pipeline.addLast(POLLING_POST_ORDER, pollingPostOrder);
                pipeline.addLast("ghostroomsUnhandledFailure", unhandledFailures);
                pipeline.addLast("ghostroomsWebSocketChannels", websockets);
            }
        });
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
            ((com.corundumstudio.socketio.scheduler.CancelableScheduler) scheduler.get(factory.get(server))).shutdown();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("default Socket.IO pipeline not released ({})", e.getClass().getSimpleName());
        }
    }

    /** A polling body carries at most 128 KB or MAX_HTTP_BODY_KB, whichever is larger. */
    private static int maxPollingBodyBytes(Config config) {
        return Math.max(128, config.maxHttpBodyKb()) * 1024;
    }

    /** A mutable slot for the one cycle in the graph: rooms notify broadcasts, broadcasts list rooms. */
    private static final class GlobalBroadcastsHolder {
        volatile GlobalBroadcasts value;
    }

    private static Configuration socketConfiguration(Config config, Presence presence) {
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
        c.setAckMode(com.corundumstudio.socketio.AckMode.MANUAL);
        c.setAllowHeaders("Content-Type, Authorization");
        if (!config.allowsAnyOrigin() && config.corsOrigins().size() == 1) {
            c.setOrigin(config.corsOrigins().get(0));
        }
        // The per-IP connection cap: a handshake beyond it is refused (401) before any state exists.
        c.setAuthorizationListener(data -> {
            String ip = data.getAddress() != null && data.getAddress().getAddress() != null
                    ? data.getAddress().getAddress().getHostAddress() : "unknown";
            return presence.connectionsFrom(ip) < config.maxConnectionsPerIp()
                    ? AuthorizationResult.SUCCESSFUL_AUTHORIZATION : AuthorizationResult.FAILED_AUTHORIZATION;
        });
        SocketConfig socket = new SocketConfig();
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        c.setSocketConfig(socket);
        c.setExceptionListener(new QuietExceptionListener());
        return c;
    }

    public void start() {
        if (!config.persistMessages()) {
            log.warn("MESSAGE_PERSISTENCE=off: messages are broadcast but never stored (benchmark ceiling only)");
        }
        messages.start();
        socketServer.start();
        lifecycle.start();
        log.info("GhostRooms listening on http://localhost:{} (database: {}, files: {})", port(), database.describe(),
                config.fileServerUrl() != null ? "HTTP file server" : "local directory");
    }

    public int port() {
        return config.port();
    }

    public Database database() {
        return database;
    }

    public MessageService messages() {
        return messages;
    }

    /** The connected Socket.IO clients, for tests that look at what the server keeps per connection. */
    java.util.Collection<com.corundumstudio.socketio.SocketIOClient> socketClients() {
        return socketServer.getAllClients();
    }

    /** True once close() began: new connections are closed as they are accepted. */
    public boolean draining() {
        return draining;
    }

    /**
     * Graceful: the writer stores and broadcasts what is queued while sockets are still open (so
     * those senders get their acks), then sockets close, then the pool. Bounded to about 9 s (writer 5, workers 2, sockets 2).
     */
    @Override
    public void close() {
        draining = true;
        scheduler.shutdownNow();
        messages.close();
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopSocketServerWithin(2, TimeUnit.SECONDS);
        database.close();
    }

    /**
     * netty-socketio's stop() waits without a bound for its event loops to terminate; one whose
     * thread died (seen after a jar was replaced under a running server) never does, and SIGTERM
     * then hung forever. Shutdown goes on after the bound; the process exits anyway.
     */
    private void stopSocketServerWithin(long timeout, TimeUnit unit) {
        Thread stopper = new Thread(socketServer::stop, "socket-server-stop");
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

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Logs socket failures by class only: their messages can quote client payloads. */
    private static final class QuietExceptionListener implements ExceptionListener {
        private static final Logger log = LoggerFactory.getLogger("io.ghostrooms.server.socket.Errors");

        @Override
        public void onEventException(Exception e, List<Object> args, com.corundumstudio.socketio.SocketIOClient client) {
            log.warn("event handler failure ({})", io.ghostrooms.server.common.Failures.describe(e));
        }

        @Override
        public void onDisconnectException(Exception e, com.corundumstudio.socketio.SocketIOClient client) {
            log.warn("disconnect handler failure ({})", io.ghostrooms.server.common.Failures.describe(e));
        }

        @Override
        public void onConnectException(Exception e, com.corundumstudio.socketio.SocketIOClient client) {
            log.warn("connect handler failure ({})", io.ghostrooms.server.common.Failures.describe(e));
        }

        @Override
        public void onPingException(Exception e, com.corundumstudio.socketio.SocketIOClient client) {
        }

        @Override
        public void onPongException(Exception e, com.corundumstudio.socketio.SocketIOClient client) {
        }

        @Override
        public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
            log.debug("channel failure ({})", io.ghostrooms.server.common.Failures.describe(e));
            // Through the whole pipeline, so that PollingPostOrder answers a held POST first.
            ctx.channel().close();
            return true;
        }

        @Override
        public void onAuthException(Throwable e, com.corundumstudio.socketio.SocketIOClient client) {
            log.warn("auth failure ({})", io.ghostrooms.server.common.Failures.describe(e));
        }
    }

}
