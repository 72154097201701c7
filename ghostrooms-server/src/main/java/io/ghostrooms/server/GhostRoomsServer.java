package io.ghostrooms.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.server.bus.LocalRoomBus;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.common.ReadinessChecks;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.files.FileStore;
import io.ghostrooms.server.files.HttpFileStore;
import io.ghostrooms.server.files.LocalFileStore;
import io.ghostrooms.server.files.UploadRegistry;
import io.ghostrooms.server.files.UploadService;
import io.ghostrooms.server.http.BodyLimitHandler;
import io.ghostrooms.server.http.Cors;
import io.ghostrooms.server.http.RestApi;
import io.ghostrooms.server.http.RestHandler;
import io.ghostrooms.server.http.UploadHandler;
import io.ghostrooms.server.jobs.EmptyRoomEnds;
import io.ghostrooms.server.jobs.Jobs;
import io.ghostrooms.server.jobs.RoomEnds;
import io.ghostrooms.server.legacy.LegacyGateway;
import io.ghostrooms.server.legacy.LegacyMembers;
import io.ghostrooms.server.legacy.LegacyService;
import io.ghostrooms.server.messages.GroupCommitWriter;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.metrics.Metrics;
import io.ghostrooms.server.metrics.MetricsServer;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.rooms.GlobalBroadcasts;
import io.ghostrooms.server.rooms.MembershipService;
import io.ghostrooms.server.rooms.PublicRooms;
import io.ghostrooms.server.rooms.RoomCloser;
import io.ghostrooms.server.rooms.RoomControls;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import io.ghostrooms.server.socket.SocketGateway;
import io.ghostrooms.server.transport.HttpStages;
import io.ghostrooms.server.transport.SocketTransport;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where everything is constructed and wired, started and stopped. */
public final class GhostRoomsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GhostRoomsServer.class);
    /** A legacy user registered this lately may be held by a socket of another node sharing the database. */
    private static final java.time.Duration LEGACY_USER_GRACE = java.time.Duration.ofMinutes(2);

    private final Config config;
    private final Database database;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;
    private final SocketTransport transport;
    private final MessageService messages;
    private final Jobs jobs;
    private final Metrics metrics;
    private final MetricsServer metricsServer;
    private final LegacyMembers legacyMembers;

    public GhostRoomsServer(Config config) throws IOException {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.database = Database.open(config.database(), config.dbPoolSize());
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(20_000), daemonThreads("worker"));
        this.scheduler = Executors.newScheduledThreadPool(1, daemonThreads("scheduler"));
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        RateLimits limits = RateLimits.from(config);

        FileStore fileStore = config.fileServerUrl() != null
                ? new HttpFileStore(config.fileServerUrl(), config.publicUrl())
                : new LocalFileStore(config.uploadDir(), config.publicUrl());
        UploadRegistry uploadRegistry = new UploadRegistry();
        FileService files = new FileService(database, fileStore, uploadRegistry, clock, workers);
        UploadService uploads = new UploadService(database, fileStore, uploadRegistry, config, clock, limits.uploads());

        this.metrics = new Metrics();
        this.transport = new SocketTransport(config, metrics);
        RoomBus bus = new LocalRoomBus(transport);

        Presence presence = new Presence();
        PublicRooms publicRooms = new PublicRooms(database, clock);
        GlobalBroadcasts globals = new GlobalBroadcasts(transport, presence, publicRooms);
        SessionService sessions = new SessionService(database, clock);
        RoomService rooms = new RoomService(database, config, new Tokens(), clock, sessions, files,
                limits.roomCreations(), globals);
        this.messages = new MessageService(database, config, clock, sessions, uploadRegistry, bus, limits.messages(),
                metrics, 500);
        // The legacy API's sockets, told by the closer when any room ends (so made before it).
        this.legacyMembers = new LegacyMembers(database, bus);
        RoomCloser closer = new RoomCloser(presence, rooms, sessions, messages, files, bus, globals, clock,
                legacyMembers);
        RoomEnds roomEnds = new RoomEnds(rooms, closer, scheduler, workers, clock);
        EmptyRoomEnds emptyRoomEnds = new EmptyRoomEnds(rooms, closer, scheduler, workers);
        MembershipService membership = new MembershipService(presence, sessions, messages, bus, globals, roomEnds,
                emptyRoomEnds, limits.lookups(), limits.typing(), workers, clock);
        RoomControls controls = new RoomControls(rooms, closer, presence, sessions, messages, bus, globals, roomEnds,
                emptyRoomEnds, limits.lookups(), config, clock);
        this.jobs = new Jobs(rooms, sessions, files, presence, closer, globals, roomEnds, emptyRoomEnds, scheduler,
                workers, config);

        transport.listen(new SocketGateway(presence, membership, messages, files, publicRooms, globals, workers,
                limits.socketEvents(), metrics));
        LegacyService legacy = new LegacyService(database, config, clock, messages, bus, roomEnds, legacyMembers,
                limits.roomCreations(), limits.lookups(), limits.messages());
        transport.listen(new LegacyGateway(legacy, legacyMembers, workers, limits.socketEvents(), metrics));
        Cors cors = new Cors(config.corsOrigins());
        RestHandler rest = new RestHandler(new RestApi(json, rooms, controls, publicRooms, sessions, messages, files, uploads,
                database, limits.lookups(), config.metricsOnOwnPort() ? null : metrics, config.metricsPublic(), clock,
                readiness(), legacy),
                cors, json, workers, SocketTransport.SOCKET_PATH, metrics);
        this.metricsServer = config.metricsOnOwnPort()
                ? new MetricsServer(config.metricsPort(), config.metricsPublic(), metrics) : null;
        gauges(presence);
        transport.serveHttp(new HttpStages(
                () -> new UploadHandler(uploads, cors, workers, rest),
                () -> new BodyLimitHandler(config.maxHttpBodyKb() * 1024L, SocketTransport.SOCKET_PATH,
                        SocketTransport.maxPollingBodyBytes(config), rest),
                rest));
    }

    /** The gauges: read at scrape time from what already counts them. */
    private void gauges(Presence presence) {
        for (String transportName : new String[] {"websocket", "polling"}) {
            metrics.gauge("ghostrooms.connections", "Open Socket.IO connections, by current transport", transport,
                    t -> t.connections(transportName), "transport", transportName);
        }
        metrics.gauge("ghostrooms.rooms.active", "Rooms with at least one member connected to this node", presence,
                Presence::occupiedRoomCount);
        metrics.gauge("ghostrooms.db.pool.active", "Database connections in use", database, Database::activeConnections);
        metrics.gauge("ghostrooms.db.pool.idle", "Database connections open and idle", database, Database::idleConnections);
        metrics.gauge("ghostrooms.db.pool.pending", "Threads waiting for a database connection", database,
                Database::threadsAwaitingConnection);
        metrics.gauge("ghostrooms.message.writer.queued", "Messages and barriers waiting for the message writer",
                messages.writer(), GroupCommitWriter::queued);
    }

    /** GET /health/ready: every dependency this node needs (a Redis check joins here with REDIS_URL). */
    private ReadinessChecks readiness() {
        return new ReadinessChecks(java.util.List.of(new ReadinessChecks.Check("database", database::isReachable)));
    }

    public void start() {
        if (!config.persistMessages()) {
            log.warn("MESSAGE_PERSISTENCE=off: messages are broadcast but never stored (benchmark ceiling only)");
        }
        messages.start();
        transport.start();
        metrics.eventLoops(transport::eventLoops);
        if (metricsServer != null) {
            metricsServer.start();
        }
        jobs.start();
        // Legacy users in no room that no socket holds (left over from before a restart, or whose
        // room's end could not read its members): at start and every cleanup interval.
        scheduler.scheduleWithFixedDelay(() -> workers.execute(() -> {
            try {
                legacyMembers.deleteUsersInNoRoom(Clock.systemUTC().instant(), LEGACY_USER_GRACE);
            } catch (RuntimeException e) {
                log.warn("legacy user cleanup failed, will retry ({})", io.ghostrooms.server.common.Failures.describe(e));
            }
        }), 0, config.cleanupInterval().toMillis(), TimeUnit.MILLISECONDS);
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

    /** The Socket.IO side, for tests that look at what the transport keeps per connection. */
    public SocketTransport transport() {
        return transport;
    }

    /** True once close() began: new connections are closed as they are accepted. */
    public boolean draining() {
        return transport.draining();
    }

    /**
     * Graceful: the writer stores and broadcasts what is queued while sockets are still open (so
     * those senders get their acks), then sockets close, then the pool. Bounded to about 9 s
     * (writer 5, workers 2, sockets 2).
     */
    @Override
    public void close() {
        transport.drain();
        scheduler.shutdownNow();
        messages.close();
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.stopWithin(2, TimeUnit.SECONDS);
        if (metricsServer != null) {
            metricsServer.close();
        }
        database.close();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
