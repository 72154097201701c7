package io.ghostrooms.persistence.sessions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Session reads and batched updates; inserts and deletes, which every join and leave runs, are in {@link MembershipDao}. */
@RegisterConstructorMapper(SessionRow.class)
public interface SessionDao {

    @SqlQuery("SELECT * FROM sessions WHERE token_hash = :tokenHash")
    Optional<SessionRow> findByTokenHash(String tokenHash);

    @SqlBatch("UPDATE sessions SET last_active_at = :at WHERE id = :id")
    void touch(@Bind("id") Collection<Long> ids, @Bind("at") Instant at);

    @SqlQuery("SELECT id FROM sessions WHERE last_active_at < :cutoff")
    List<Long> findInactiveSince(Instant cutoff);

    /**
     * Whether any session of the room was active after {@code since}: the sessions of members
     * connected anywhere are marked active every 30 s, and a session just made by a REST join is
     * active from its creation (vanishWhenEmpty waits for both).
     */
    @SqlQuery("SELECT COUNT(*) > 0 FROM sessions WHERE room_id = :roomId AND last_active_at > :since")
    boolean anyActiveInRoomSince(long roomId, Instant since);

    /** The session holding a nickname (by its case-insensitive key) in a room: the owner's kick. */
    @SqlQuery("SELECT id FROM sessions WHERE room_id = :roomId AND nickname_key = :nicknameKey")
    Optional<Long> findIdByNicknameKey(long roomId, String nicknameKey);
}
