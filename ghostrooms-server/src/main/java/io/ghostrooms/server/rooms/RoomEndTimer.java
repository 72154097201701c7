package io.ghostrooms.server.rooms;

import java.time.Instant;

/** Ends a room at its expiry moment (the due-queue of the jobs), whether or not anyone is in it. */
public interface RoomEndTimer {
    /**
     * Makes sure the room is closed at {@code endsAt}; repeated calls for one room are cheap, and a
     * call with another moment (the owner set a new expiry) replaces the timer. A timer that fires
     * reads the room's expiry first: one set for an end the owner moved later does not end it.
     */
    void endAt(long roomId, String token, Instant endsAt);
}
