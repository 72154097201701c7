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
