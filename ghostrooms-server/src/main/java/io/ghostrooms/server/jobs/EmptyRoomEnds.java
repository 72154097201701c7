package io.ghostrooms.server.jobs;

import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.rooms.EmptyRoomTimer;
import io.ghostrooms.server.rooms.RoomCloser;
import io.ghostrooms.server.rooms.RoomService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of vanishWhenEmpty rooms: one per room that became empty, replaced when it becomes
 * empty again and cancelled when a socket joins. A timer that fires asks {@link RoomCloser} to end
 * the room if it is still empty; a room a session was active in lately is looked at again after
 * another {@link #DELAY}. After a restart every such room gets a timer: its members' sockets
 * reconnect and cancel it, and a room nobody comes back to vanishes.
 */
public final class EmptyRoomEnds implements EmptyRoomTimer {
    private static final Logger log = LoggerFactory.getLogger(EmptyRoomEnds.class);
    private static final int STARTUP_LIMIT = 10_000;

    private final RoomService rooms;
    private final RoomCloser closer;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final ConcurrentHashMap<Long, Pending> timers = new ConcurrentHashMap<>();

    private static final class Pending {
        volatile ScheduledFuture<?> future;
    }

    public EmptyRoomEnds(RoomService rooms, RoomCloser closer, ScheduledExecutorService scheduler, Executor workers) {
        this.rooms = rooms;
        this.closer = closer;
        this.scheduler = scheduler;
        this.workers = workers;
    }

    @Override
    public void emptied(long roomId, String token) {
        timers.compute(roomId, (id, old) -> {
            if (old != null && old.future != null) {
                old.future.cancel(false);
            }
            Pending pending = new Pending();
            try {
                pending.future = scheduler.schedule(() -> hand(roomId, token, pending), DELAY.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return null; // shutting down: the restart arms it again
            }
            return pending;
        });
    }

    @Override
    public void occupied(long roomId) {
        Pending pending = timers.remove(roomId);
        if (pending != null && pending.future != null) {
            pending.future.cancel(false);
        }
    }

    /** On the scheduler's thread: the work goes to a worker (a full pool: tried again later). */
    private void hand(long roomId, String token, Pending pending) {
        try {
            workers.execute(() -> fire(roomId, token, pending));
        } catch (RejectedExecutionException e) {
            if (timers.remove(roomId, pending)) {
                emptied(roomId, token);
            }
        }
    }

    private void fire(long roomId, String token, Pending pending) {
        if (!timers.remove(roomId, pending)) {
            return; // cancelled by a join, or replaced by a later leave
        }
        boolean done;
        try {
            done = closer.closeIfStillEmpty(token, roomId);
        } catch (RuntimeException e) {
            log.warn("empty room end failed, tried again later ({})", Failures.describe(e));
            done = false;
        }
        if (!done) {
            timers.computeIfAbsent(roomId, id -> {
                Pending again = new Pending();
                try {
                    again.future = scheduler.schedule(() -> hand(roomId, token, again), DELAY.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    return null;
                }
                return again;
            });
        }
    }

    /** At startup: no socket is in any room yet, so every vanishWhenEmpty room counts as just emptied. */
    void armAfterRestart() {
        try {
            for (RoomRow room : rooms.vanishingRooms(STARTUP_LIMIT)) {
                emptied(room.id(), room.token());
            }
        } catch (RuntimeException e) {
            log.warn("empty room timers after restart skipped ({})", Failures.describe(e));
        }
    }
}
