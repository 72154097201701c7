package io.ghostrooms.server.jobs;

import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.RoomClosed;
import io.ghostrooms.protocol.socket.RoomTtlWarning;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.socket.GlobalBroadcasts;
import io.ghostrooms.server.socket.SocketNotifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room expiry and cleanup. An occupied room is closed at its expiry instant (room_closed to its
 * members, then its data is deleted); TTL warnings go out every minute; cleanup (at start and every
 * CLEANUP_INTERVAL) deletes expired rooms, idle sessions and unclaimed uploads. Ticks never overlap.
 */
public final class RoomLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RoomLifecycle.class);
    static final long WARNING_SECONDS = 300;
    private static final int CLEANUP_BATCH = 500;

    private final RoomService rooms;
    private final SessionService sessions;
    private final MessageService messages;
    private final FileService files;
    private final Presence presence;
    private final SocketNotifier notifier;
    private final GlobalBroadcasts globals;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Clock clock;
    private final Config config;
    private final ConcurrentHashMap<String, ScheduledFuture<?>> closings = new ConcurrentHashMap<>();
    private final AtomicBoolean cleaning = new AtomicBoolean();

    public RoomLifecycle(RoomService rooms, SessionService sessions, MessageService messages, FileService files,
                         Presence presence, SocketNotifier notifier, GlobalBroadcasts globals,
                         ScheduledExecutorService scheduler, Executor workers, Clock clock, Config config) {
        this.rooms = rooms;
        this.sessions = sessions;
        this.messages = messages;
        this.files = files;
        this.presence = presence;
        this.notifier = notifier;
        this.globals = globals;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
        this.config = config;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(globals::tick, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::minuteTick, 60, 60, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::flushActivity, 30, 30, TimeUnit.SECONDS);
        workers.execute(() -> {
            int orphans = files.sweepOrphans();
            if (orphans > 0) {
                log.info("startup sweep: {} orphaned files deleted", orphans);
            }
        });
        long every = config.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> workers.execute(this::cleanup), 0, every, TimeUnit.MILLISECONDS);
    }

    public boolean isExpired(SessionContext session) {
        return !session.roomExpiresAt().isAfter(clock.instant());
    }

    /** After a join: warn the joiner if the room ends soon, and make sure its closing is scheduled. */
    public void joined(SocketState state, SessionContext session) {
        long left = secondsLeft(session.roomExpiresAt());
        if (left <= WARNING_SECONDS) {
            notifier.toClient(state.client(), Events.ROOM_TTL_WARNING, new RoomTtlWarning(Math.max(0, left)));
        }
        closings.computeIfAbsent(session.roomToken(), token -> {
            long delay = Math.max(0, Duration.between(clock.instant(), session.roomExpiresAt()).toMillis());
            return scheduler.schedule(() -> workers.execute(() -> close(token, session.roomId())), delay,
                    TimeUnit.MILLISECONDS);
        });
    }

    private long secondsLeft(Instant expiresAt) {
        return Math.max(0, (Duration.between(clock.instant(), expiresAt).toMillis() + 999) / 1000);
    }

    /** room_closed to every member, then the room's data and files are deleted. */
    void close(String token, long roomId) {
        closings.remove(token);
        List<SocketState> members = presence.closeRoom(token);
        for (SocketState member : members) {
            notifier.toClient(member.client(), Events.ROOM_CLOSED, new RoomClosed("expired"));
            member.client().leaveRoom(token);
        }
        messages.forgetRoom(roomId);
        try {
            files.deleteStoredLater(rooms.purge(roomId));
        } catch (RuntimeException e) {
            log.warn("room purge deferred to cleanup ({})", Failures.describe(e));
        }
        globals.activeUsersChanged();
        globals.publicRoomsChanged();
    }

    private void minuteTick() {
        try {
            for (Presence.OccupiedRoom room : presence.occupiedRooms()) {
                long left = secondsLeft(room.expiresAt());
                if (left > 0 && left <= WARNING_SECONDS) {
                    notifier.toRoom(room.token(), Events.ROOM_TTL_WARNING, new RoomTtlWarning(left));
                }
            }
            globals.refreshPublicRooms();
        } catch (RuntimeException e) {
            log.warn("minute tick failed ({})", Failures.describe(e));
        }
    }

    private void flushActivity() {
        try {
            sessions.flushActivity(presence.joinedSessionIds());
        } catch (RuntimeException e) {
            log.warn("activity flush failed ({})", Failures.describe(e));
        }
    }

    /** Idempotent and guarded: a tick that finds the previous one still running does nothing. */
    public void cleanup() {
        if (!cleaning.compareAndSet(false, true)) {
            return;
        }
        try {
            int closed = 0;
            List<RoomRow> expired;
            do {
                expired = rooms.expiredRooms(CLEANUP_BATCH);
                for (RoomRow room : expired) {
                    close(room.token(), room.id());
                    closed++;
                }
            } while (expired.size() == CLEANUP_BATCH);
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
