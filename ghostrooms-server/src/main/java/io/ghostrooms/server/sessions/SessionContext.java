package io.ghostrooms.server.sessions;

import java.time.Instant;

/** A validated session with what the hot path needs of its room, held in memory from join_room on. */
public record SessionContext(long sessionId, String nickname, long roomId, String roomToken, boolean roomIsPublic,
                             Instant roomExpiresAt) {
}
