package io.ghostrooms.persistence.legacy;

import java.time.Instant;

/** A membership (the old API's RoomUser) with its user's row. */
public record LegacyMemberRow(String id, long roomId, String userId, Instant joinedAt, String username,
                              Instant userCreatedAt, Instant userUpdatedAt) {
}
