package io.ghostrooms.persistence.sessions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SessionRow.class)
public interface SessionDao {

    @SqlUpdate("INSERT INTO sessions (token_hash, room_id, nickname, nickname_key, created_at, last_active_at) "
            + "VALUES (:tokenHash, :roomId, :nickname, :nicknameKey, :createdAt, :createdAt)")
    @GetGeneratedKeys("id")
    long insert(String tokenHash, long roomId, String nickname, String nicknameKey, Instant createdAt);

    @SqlQuery("SELECT * FROM sessions WHERE token_hash = :tokenHash")
    Optional<SessionRow> findByTokenHash(String tokenHash);

    @SqlQuery("SELECT COUNT(*) FROM sessions WHERE room_id = :roomId AND nickname_key = :nicknameKey")
    int countNickname(long roomId, String nicknameKey);

    @SqlUpdate("DELETE FROM sessions WHERE id = :id")
    int delete(long id);

    @SqlBatch("UPDATE sessions SET last_active_at = :at WHERE id = :id")
    void touch(@Bind("id") Collection<Long> ids, @Bind("at") Instant at);

    @SqlQuery("SELECT id FROM sessions WHERE last_active_at < :cutoff")
    List<Long> findInactiveSince(Instant cutoff);
}
