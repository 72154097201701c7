package io.ghostrooms.server.rooms;

import java.time.Duration;

/**
 * vanishWhenEmpty (room controls): a room ends, with all its data, {@link #DELAY} after its last
 * member's socket left, unless a socket joins in between. The timers live with the jobs; the
 * membership use cases tell them when a room became empty or occupied.
 */
public interface EmptyRoomTimer {
    Duration DELAY = Duration.ofSeconds(60);

    /** The room's last socket left: it ends after {@link #DELAY} (replacing an earlier timer). */
    void emptied(long roomId, String token);

    /** A socket joined: a pending end of the room is cancelled. */
    void occupied(long roomId);
}
