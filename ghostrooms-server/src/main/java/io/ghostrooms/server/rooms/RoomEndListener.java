package io.ghostrooms.server.rooms;

/**
 * Told when a room has ended and its rows are deleted (expiry, the owner's close, vanish), so a
 * feature that keeps its own state about rooms (the legacy API's members on this node) drops it.
 * Defined here and implemented outside, so this package never depends on those features.
 */
public interface RoomEndListener {
    RoomEndListener NONE = (roomId, token) -> { };

    /** Called on a worker just before the room's rows are deleted (they can still be read); must not throw. */
    default void roomEnding(long roomId, String token) {
    }

    /** Called on a worker after the room's purge was attempted; must not throw. */
    void roomEnded(long roomId, String token);
}
