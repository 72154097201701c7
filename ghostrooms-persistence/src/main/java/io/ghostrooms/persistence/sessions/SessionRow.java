package io.ghostrooms.persistence.sessions;

import java.time.Instant;

public record SessionRow(long id, String tokenHash, long roomId, String nickname, Instant createdAt,
                         Instant lastActiveAt) {
}
