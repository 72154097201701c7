package io.ghostrooms.server.jobs;

import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.rooms.RoomCloser;
import io.ghostrooms.server.rooms.RoomEndTimer;
import io.ghostrooms.server.rooms.RoomService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The due-queue of room ends: a timer per room that ends soon, so every room ends at its expiry
 * moment whether or not a socket is in it, and after a restart too. Rooms with members get their
 * timer when joined; every {@link #POLL} the database is asked for rooms ending within
 * {@link #HORIZON} (rooms joined only over REST, made on another node, or left over from before a
 * restart), so a room's data is gone at most a poll after its end even if no timer was set. The
 * periodic cleanup is only the backstop.
 */
public final class RoomEnds implements RoomEndTimer {
    private static final Logger log = LoggerFactory.getLogger(RoomEnds.class);
    static final Duration POLL = Duration.ofSeconds(10);
    static final Duration HORIZON = Duration.ofSeconds(30);
    private static final int POLL_LIMIT = 5_000;

    private final RoomService rooms;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Clock clock;
    private final RoomCloser closer;
    private final ConcurrentHashMap<Long, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    public RoomEnds(RoomService rooms, RoomCloser closer, ScheduledExecutorService scheduler, Executor workers,
                    Clock clock) {
        this.rooms = rooms;
        this.closer = closer;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
    }

    @Override
    public void endAt(long roomId, String token, Instant endsAt) {
        timers.computeIfAbsent(roomId, id -> {
            long delay = Math.max(0, Duration.between(clock.instant(), endsAt).toMillis());
            return scheduler.schedule(() -> workers.execute(() -> end(roomId, token)), delay, TimeUnit.MILLISECONDS);
        });
    }

    private void end(long roomId, String token) {
        try {
            closer.close(token, roomId, "expired");
        } catch (RuntimeException e) {
            log.warn("room end failed, the next poll retries ({})", Failures.describe(e));
        } finally {
            timers.remove(roomId);
        }
    }

    /** Sets a timer for every room that ends within the horizon (the ones past due: now). */
    void poll() {
        try {
            for (RoomRow room : rooms.endingBy(clock.instant().plus(HORIZON), POLL_LIMIT)) {
                endAt(room.id(), room.token(), room.expiresAt());
            }
        } catch (RuntimeException e) {
            log.warn("room end poll failed ({})", Failures.describe(e));
        }
    }
}
