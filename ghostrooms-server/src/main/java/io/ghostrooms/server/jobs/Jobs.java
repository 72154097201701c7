package io.ghostrooms.server.jobs;

import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.rooms.GlobalBroadcasts;
import io.ghostrooms.server.rooms.RoomCloser;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionService;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the periodic work runs. Each task is a call into a service; database work goes to the
 * worker pool, never the scheduler's one thread, and a task that fails is logged by class and runs
 * again at its next tick.
 */
public final class Jobs {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    private static final int CLEANUP_BATCH = 500;
    /** Rooms whose purge keeps failing must not keep one tick going forever. */
    private static final int MAX_CLEANUP_BATCHES = 20;

    private final RoomService rooms;
    private final SessionService sessions;
    private final FileService files;
    private final Presence presence;
    private final RoomCloser closer;
    private final GlobalBroadcasts globals;
    private final RoomEnds roomEnds;
    private final EmptyRoomEnds emptyRoomEnds;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Config config;
    private final AtomicBoolean cleaning = new AtomicBoolean();

    public Jobs(RoomService rooms, SessionService sessions, FileService files, Presence presence, RoomCloser closer,
                GlobalBroadcasts globals, RoomEnds roomEnds, EmptyRoomEnds emptyRoomEnds,
                ScheduledExecutorService scheduler, Executor workers, Config config) {
        this.emptyRoomEnds = emptyRoomEnds;
        this.rooms = rooms;
        this.sessions = sessions;
        this.files = files;
        this.presence = presence;
        this.closer = closer;
        this.globals = globals;
        this.roomEnds = roomEnds;
        this.scheduler = scheduler;
        this.workers = workers;
        this.config = config;
    }

    public void start() {
        every(1, TimeUnit.SECONDS, "lobby broadcast", globals::tick);
        every(60, TimeUnit.SECONDS, "minute tick", () -> {
            closer.warnRoomsEndingSoon();
            globals.refreshPublicRooms();
        });
        every(30, TimeUnit.SECONDS, "activity flush", () -> sessions.flushActivity(presence.joinedSessionIds()));
        scheduler.scheduleWithFixedDelay(() -> workers.execute(roomEnds::poll), 0, RoomEnds.POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        workers.execute(emptyRoomEnds::armAfterRestart);
        workers.execute(() -> {
            int orphans = files.sweepOrphans();
            if (orphans > 0) {
                log.info("startup sweep: {} orphaned files deleted", orphans);
            }
        });
        scheduler.scheduleWithFixedDelay(() -> workers.execute(this::cleanup), 0, config.cleanupInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void every(long period, TimeUnit unit, String name, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed ({})", name, Failures.describe(e));
            }
        }, period, period, unit);
    }

    /**
     * The backstop: expired rooms no timer ended, idle sessions, unclaimed uploads. Idempotent; a
     * tick that finds the previous one still running does nothing.
     */
    void cleanup() {
        if (!cleaning.compareAndSet(false, true)) {
            return;
        }
        try {
            int closed = 0;
            List<RoomRow> expired;
            int batches = 0;
            do {
                expired = rooms.expiredRooms(CLEANUP_BATCH);
                for (RoomRow room : expired) {
                    closer.close(room.token(), room.id(), "expired");
                    closed++;
                }
            } while (expired.size() == CLEANUP_BATCH && ++batches < MAX_CLEANUP_BATCHES);
            int idle = sessions.deleteIdle(config.sessionIdleTimeout(), presence.joinedSessionIds()).size();
            int uploads = files.deleteUnclaimedUploads();
            if (closed + idle + uploads > 0) {
                log.info("cleanup: {} expired rooms, {} idle sessions, {} unclaimed uploads deleted", closed, idle, uploads);
            }
        } catch (RuntimeException e) {
            log.warn("cleanup failed, will retry next tick ({})", Failures.describe(e));
        } finally {
            cleaning.set(false);
        }
    }
}
