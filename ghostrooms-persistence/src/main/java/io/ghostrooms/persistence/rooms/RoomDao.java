package io.ghostrooms.persistence.rooms;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(RoomRow.class)
@RegisterConstructorMapper(PublicRoomRow.class)
public interface RoomDao {

    @SqlUpdate("INSERT INTO rooms (token, name, is_public, is_dm, capacity, created_at, expires_at) "
            + "VALUES (:token, :name, :isPublic, :isDm, :capacity, :createdAt, :expiresAt)")
    @GetGeneratedKeys("id")
    long insert(String token, String name, boolean isPublic, boolean isDm, int capacity,
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
}
