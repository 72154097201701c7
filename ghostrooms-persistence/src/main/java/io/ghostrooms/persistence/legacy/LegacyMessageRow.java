package io.ghostrooms.persistence.legacy;

import java.time.Instant;

/**
 * A message of a legacy room with its sender: {@code nickname} is the username it was sent under;
 * the user's timestamps are null once that user is gone (it left every room).
 */
public record LegacyMessageRow(String id, long roomId, String userId, String content, String nickname,
                               Instant createdAt, Instant userCreatedAt, Instant userUpdatedAt) {
}
