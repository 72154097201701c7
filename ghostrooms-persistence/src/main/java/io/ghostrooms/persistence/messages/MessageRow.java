package io.ghostrooms.persistence.messages;

import java.time.Instant;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

/**
 * sessionId is null once the sender's session is gone. legacyUserId is the sender of a message of
 * the legacy ChatBackEnd API (null for every other message); the readers of the token API's
 * history do not select it.
 */
public record MessageRow(String id, long roomId, Long sessionId, String type, String content, String nickname,
                         Instant createdAt, String legacyUserId) {

    /** A message of the token API (no legacy sender): the form its readers map rows with. */
    @JdbiConstructor
    public MessageRow(String id, long roomId, Long sessionId, String type, String content, String nickname,
                      Instant createdAt) {
        this(id, roomId, sessionId, type, content, nickname, createdAt, null);
    }
}
