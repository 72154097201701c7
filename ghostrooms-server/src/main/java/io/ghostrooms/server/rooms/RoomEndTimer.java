package io.ghostrooms.server.rooms;

import java.time.Instant;

/** Ends a room at its expiry moment (the due-queue of the jobs), whether or not anyone is in it. */
public interface RoomEndTimer {
    /** Makes sure the room is closed at {@code endsAt}; repeated calls for one room are cheap. */
    void endAt(long roomId, String token, Instant endsAt);
}
