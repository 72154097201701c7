package io.ghostrooms.persistence.messages;

import java.time.Instant;

/** sessionId is null once the sender's session is gone. */
public record MessageRow(String id, long roomId, Long sessionId, String type, String content, String nickname,
                         Instant createdAt) {
}
