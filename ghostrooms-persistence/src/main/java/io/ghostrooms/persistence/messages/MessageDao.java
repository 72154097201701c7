package io.ghostrooms.persistence.messages;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Message reads and deletes; the writer's batch insert is {@link MessageBatchDao}. */
@RegisterConstructorMapper(MessageRow.class)
public interface MessageDao {

    /** Newest first; callers reverse for the wire's oldest-first order. */
    @SqlQuery("SELECT id, room_id, session_id, type, content, nickname, created_at FROM messages "
            + "WHERE room_id = :roomId ORDER BY created_at DESC, seq DESC LIMIT :limit")
    List<MessageRow> latest(long roomId, int limit);

    @SqlQuery("SELECT id, room_id, session_id, type, content, nickname, created_at FROM messages "
            + "WHERE room_id = :roomId AND created_at < :before ORDER BY created_at DESC, seq DESC LIMIT :limit")
    List<MessageRow> latestBefore(long roomId, Instant before, int limit);

    @SqlQuery("SELECT id, room_id, session_id, type, content, nickname, created_at FROM messages WHERE id = :id")
    Optional<MessageRow> findById(String id);

    @SqlUpdate("DELETE FROM messages WHERE id = :id")
    int delete(String id);

    @SqlQuery("SELECT COUNT(*) FROM messages WHERE room_id = :roomId")
    int countInRoom(long roomId);
}
