package io.ghostrooms.server.sessions;

import java.time.Instant;

/**
 * A validated session with what the hot path needs of its room, held in memory from join_room on.
 * {@code roomExpiresAt} is a copy: when the room's owner sets a new expiry, every holder replaces
 * its copy ({@link #withRoomExpiresAt}).
 */
public record SessionContext(long sessionId, String nickname, long roomId, String roomToken, boolean roomIsPublic,
                             Instant roomExpiresAt, boolean roomVanishesWhenEmpty) {
    public SessionContext(long sessionId, String nickname, long roomId, String roomToken, boolean roomIsPublic,
                          Instant roomExpiresAt) {
        this(sessionId, nickname, roomId, roomToken, roomIsPublic, roomExpiresAt, false);
    }

    public SessionContext withRoomExpiresAt(Instant expiresAt) {
        return expiresAt.equals(roomExpiresAt) ? this
                : new SessionContext(sessionId, nickname, roomId, roomToken, roomIsPublic, expiresAt,
                        roomVanishesWhenEmpty);
    }
}
