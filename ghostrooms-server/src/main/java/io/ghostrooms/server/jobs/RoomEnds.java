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
    private final ConcurrentHashMap<Long, Timer> timers = new ConcurrentHashMap<>();

    /** One room's timer: the end it was set for, and its scheduled task. */
    private static final class Timer {
        final Instant endsAt;
        volatile ScheduledFuture<?> future;

        Timer(Instant endsAt) {
            this.endsAt = endsAt;
        }
    }

    public RoomEnds(RoomService rooms, RoomCloser closer, ScheduledExecutorService scheduler, Executor workers,
                    Clock clock) {
        this.rooms = rooms;
        this.closer = closer;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
    }

    /**
     * Sets the room's timer for {@code endsAt}. The same moment again (every join, every poll) costs
     * one map read; another moment (the owner set a new expiry) replaces the timer.
     */
    @Override
    public void endAt(long roomId, String token, Instant endsAt) {
        Timer current = timers.get(roomId);
        if (current != null && current.endsAt.equals(endsAt)) {
            return;
        }
        timers.compute(roomId, (id, existing) -> {
            if (existing != null && existing.endsAt.equals(endsAt)) {
                return existing;
            }
            if (existing != null && existing.future != null) {
                existing.future.cancel(false);
            }
            Timer timer = new Timer(endsAt);
            long delay = Math.max(0, Duration.between(clock.instant(), endsAt).toMillis());
            timer.future = scheduler.schedule(() -> workers.execute(() -> end(roomId, token, timer)), delay,
                    TimeUnit.MILLISECONDS);
            return timer;
        });
    }

    /**
     * A timer fired. One that was replaced meanwhile does nothing (its successor ends the room).
     * Otherwise the stored expiry decides: an end the owner moved later re-arms the timer instead
     * of ending the room (a copy of the old expiry may have set this one). Without the database the
     * room ends as its timer said, as before owners could change it; the next poll retries failures.
     */
    private void end(long roomId, String token, Timer timer) {
        if (!timers.remove(roomId, timer)) {
            return;
        }
        Instant stored = null;
        try {
            stored = rooms.storedExpiry(roomId).orElse(null);
        } catch (RuntimeException e) {
            log.warn("room end without its stored expiry ({})", Failures.describe(e));
        }
        if (stored != null && stored.isAfter(clock.instant())) {
            endAt(roomId, token, stored);
            return;
        }
        try {
            closer.close(token, roomId, "expired");
        } catch (RuntimeException e) {
            log.warn("room end failed, the next poll retries ({})", Failures.describe(e));
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
