package io.ghostrooms.persistence.rooms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

@RegisterConstructorMapper(RoomRow.class)
@RegisterConstructorMapper(PublicRoomRow.class)
public interface RoomDao {

    /**
     * Inserts a room and returns its generated id, or empty when its token is taken. A taken token
     * (two creators of one DM room at once, a random token drawn twice) is no error: ON CONFLICT DO
     * NOTHING resolves it in SQL, so nothing is raised and PostgreSQL's log never quotes the token.
     * A creator that loses waits for the winner's transaction, so the winner's row is then visible
     * to a READ COMMITTED read. The conflict target is left out: H2 (PostgreSQL mode) only accepts
     * that form, and the token is the only unique key besides the generated id.
     * ({@link GeneratedId}: without a row mapper, Jdbi 3.49 maps a generated key to the whole return
     * type and answers Optional[Optional[id]].)
     */
    @SqlUpdate("INSERT INTO rooms (token, name, is_public, is_dm, capacity, created_at, expires_at) "
            + "VALUES (:token, :name, :isPublic, :isDm, :capacity, :createdAt, :expiresAt) ON CONFLICT DO NOTHING")
    @GetGeneratedKeys("id")
    @UseRowMapper(GeneratedId.class)
    Optional<Long> insert(String token, String name, boolean isPublic, boolean isDm, int capacity,
                Instant createdAt, Instant expiresAt);

    /**
     * {@link #insert} with the room controls: the owner token's hash, the encoded password hash
     * (null: none) and vanishWhenEmpty. Taken token: empty, nothing raised, as {@link #insert}.
     */
    @SqlUpdate("INSERT INTO rooms (token, name, is_public, is_dm, capacity, created_at, expires_at, "
            + "owner_token_hash, password_hash, vanish_when_empty) "
            + "VALUES (:token, :name, :isPublic, :isDm, :capacity, :createdAt, :expiresAt, "
            + ":ownerTokenHash, :passwordHash, :vanishWhenEmpty) ON CONFLICT DO NOTHING")
    @GetGeneratedKeys("id")
    @UseRowMapper(GeneratedId.class)
    Optional<Long> insertWithControls(String token, String name, boolean isPublic, boolean isDm, int capacity,
                                      Instant createdAt, Instant expiresAt, String ownerTokenHash,
                                      String passwordHash, boolean vanishWhenEmpty);

    /**
     * Sets a live room's expiry (the owner's PATCH ttlHours). A room that has ended by {@code now},
     * or is gone, is left alone: 0, and its end goes ahead.
     */
    @SqlUpdate("UPDATE rooms SET expires_at = :expiresAt WHERE id = :id AND expires_at > :now")
    int setExpiry(long id, Instant expiresAt, Instant now);

    /** Locks or unlocks a live room (the owner's PATCH locked); 0 when it ended or is gone. */
    @SqlUpdate("UPDATE rooms SET locked = :locked WHERE id = :id AND expires_at > :now")
    int setLocked(long id, boolean locked, Instant now);

    /** Live rooms that end when empty: after a restart no socket is in any of them. */
    @SqlQuery("SELECT * FROM rooms WHERE vanish_when_empty = TRUE AND expires_at > :now ORDER BY id LIMIT :limit")
    List<RoomRow> findVanishWhenEmpty(Instant now, int limit);

    @SqlQuery("SELECT * FROM rooms WHERE token = :token")
    Optional<RoomRow> findByToken(String token);

    @SqlQuery("SELECT * FROM rooms WHERE id = :id")
    Optional<RoomRow> findById(long id);

    @SqlQuery("SELECT r.token, r.name, r.expires_at, r.created_at, "
            + "(SELECT COUNT(*) FROM sessions s WHERE s.room_id = r.id) AS participant_count "
            + "FROM rooms r WHERE r.is_public = TRUE AND r.expires_at > :now "
            + "ORDER BY r.created_at DESC, r.id DESC LIMIT :limit")
    List<PublicRoomRow> listActivePublic(Instant now, int limit);

    @SqlQuery("SELECT COUNT(*) FROM sessions WHERE room_id = :roomId")
    int countSessions(long roomId);

    @SqlQuery("SELECT * FROM rooms WHERE expires_at <= :now ORDER BY expires_at LIMIT :limit")
    List<RoomRow> findExpired(Instant now, int limit);

    @SqlUpdate("DELETE FROM rooms WHERE id = :id")
    int delete(long id);

    /** Reads the generated id column of an insert. */
    final class GeneratedId implements RowMapper<Long> {
        @Override
        public Long map(ResultSet rs, StatementContext ctx) throws SQLException {
            return rs.getLong(1);
        }
    }
}
