package io.ghostrooms.persistence.legacy;

import io.ghostrooms.persistence.rooms.RoomDao;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The SQL of the legacy ChatBackEnd API. Every statement that could meet a concurrent one ends in
 * ON CONFLICT DO NOTHING or checks its conditions in its WHERE, so a race inserts nothing instead of
 * raising (PostgreSQL's log would quote the key). Legacy rooms are only ever found by legacy_id, so
 * no statement here reaches a token room, and the token API only finds rooms by their ghost- token.
 */
@RegisterConstructorMapper(LegacyUserRow.class)
@RegisterConstructorMapper(LegacyRoomRow.class)
@RegisterConstructorMapper(LegacyRoomSummaryRow.class)
@RegisterConstructorMapper(LegacyMemberRow.class)
@RegisterConstructorMapper(LegacyMessageRow.class)
public interface LegacyDao {

    /** Sets a user's name (a repeated register); 0 when there is no such user. */
    @SqlUpdate("UPDATE legacy_users SET username = :username, updated_at = :now WHERE id = :id")
    int renameUser(String id, String username, Instant now);

    /** Inserts a user; 0 when the id is taken (nothing raised). */
    @SqlUpdate("INSERT INTO legacy_users (id, username, created_at, updated_at) VALUES (:id, :username, :now, :now) "
            + "ON CONFLICT DO NOTHING")
    int insertUser(String id, String username, Instant now);

    @SqlQuery("SELECT id, username, created_at, updated_at FROM legacy_users WHERE id = :id")
    Optional<LegacyUserRow> findUser(String id);

    /** Deletes the user if it is in no room; false when it is in one (or gone already). */
    @SqlUpdate("DELETE FROM legacy_users WHERE id = :id "
            + "AND NOT EXISTS (SELECT 1 FROM legacy_room_users m WHERE m.user_id = :id)")
    int deleteUserIfInNoRoom(String id);

    /**
     * Users in no room last registered before {@code updatedBefore}, at most {@code limit}: the
     * periodic backstop (their connections decide whether they go).
     */
    @SqlQuery("SELECT u.id FROM legacy_users u WHERE u.updated_at < :updatedBefore "
            + "AND NOT EXISTS (SELECT 1 FROM legacy_room_users m WHERE m.user_id = u.id) ORDER BY u.id LIMIT :limit")
    List<String> usersInNoRoom(Instant updatedBefore, int limit);

    /** The users in a room (read just before the room's rows are deleted). */
    @SqlQuery("SELECT user_id FROM legacy_room_users WHERE room_id = :roomId")
    List<String> memberIds(long roomId);

    /**
     * Inserts a legacy room (private to the token API: never public, never a DM) and returns its id,
     * or empty when its token or legacy id is taken (nothing raised). ({@link RoomDao.GeneratedId}: see there.)
     */
    @SqlUpdate("INSERT INTO rooms (token, name, is_public, is_dm, capacity, created_at, expires_at, legacy_id) "
            + "VALUES (:token, :name, FALSE, FALSE, :capacity, :createdAt, :expiresAt, :legacyId) ON CONFLICT DO NOTHING")
    @GetGeneratedKeys("id")
    @UseRowMapper(RoomDao.GeneratedId.class)
    Optional<Long> insertRoom(String legacyId, String token, String name, int capacity, Instant createdAt,
                              Instant expiresAt);

    @SqlQuery("SELECT id, legacy_id, token, name, capacity, created_at, expires_at FROM rooms WHERE legacy_id = :legacyId")
    Optional<LegacyRoomRow> findRoom(String legacyId);

    /** The room with its row locked until the transaction ends: joins of one room queue here (capacity). */
    @SqlQuery("SELECT id, legacy_id, token, name, capacity, created_at, expires_at FROM rooms "
            + "WHERE id = :id AND legacy_id IS NOT NULL FOR UPDATE")
    Optional<LegacyRoomRow> lockRoom(long id);

    /**
     * Adds the user to the room if the room is live and has fewer than {@code capacity} members and
     * the user exists; 0 when not, or when the user is a member already (nothing raised). Call after
     * {@link #lockRoom} in the same transaction, so the count sees every committed member.
     */
    @SqlUpdate("INSERT INTO legacy_room_users (id, room_id, user_id, joined_at) "
            + "SELECT :id, r.id, u.id, :now FROM rooms r, legacy_users u "
            + "WHERE r.id = :roomId AND r.legacy_id IS NOT NULL AND r.expires_at > :now AND u.id = :userId "
            + "AND (SELECT COUNT(*) FROM legacy_room_users m WHERE m.room_id = :roomId) < :capacity "
            + "ON CONFLICT DO NOTHING")
    int addMember(String id, long roomId, String userId, Instant now, int capacity);

    @SqlQuery("SELECT COUNT(*) FROM legacy_room_users WHERE room_id = :roomId AND user_id = :userId")
    int isMember(long roomId, String userId);

    @SqlQuery("SELECT COUNT(*) FROM legacy_room_users WHERE room_id = :roomId")
    int countMembers(long roomId);

    /** Removes the user from the room; 0 when it was not in it. */
    @SqlUpdate("DELETE FROM legacy_room_users WHERE room_id = :roomId AND user_id = :userId")
    int removeMember(long roomId, String userId);

    /** Members of the rooms, oldest membership first. */
    @SqlQuery("SELECT m.id, m.room_id, m.user_id, m.joined_at, u.username, u.created_at AS user_created_at, "
            + "u.updated_at AS user_updated_at FROM legacy_room_users m JOIN legacy_users u ON u.id = m.user_id "
            + "WHERE m.room_id IN (<roomIds>) ORDER BY m.joined_at, m.id")
    List<LegacyMemberRow> members(@BindList(value = "roomIds", onEmpty = BindList.EmptyHandling.NULL_STRING) List<Long> roomIds);

    /** The room's last messages, newest first (callers reverse them for the wire's oldest first). */
    @SqlQuery("SELECT m.id, m.room_id, m.legacy_user_id AS user_id, m.content, m.nickname, m.created_at, "
            + "u.created_at AS user_created_at, u.updated_at AS user_updated_at "
            + "FROM messages m LEFT JOIN legacy_users u ON u.id = m.legacy_user_id "
            + "WHERE m.room_id = :roomId ORDER BY m.created_at DESC, m.seq DESC LIMIT :limit")
    List<LegacyMessageRow> latestMessages(long roomId, int limit);

    /** Live legacy rooms, newest first, with their counts; token rooms never. */
    @SqlQuery("SELECT r.id, r.legacy_id, r.name, r.created_at, "
            + "(SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id) AS message_count, "
            + "(SELECT COUNT(*) FROM legacy_room_users u WHERE u.room_id = r.id) AS user_count "
            + "FROM rooms r WHERE r.legacy_id IS NOT NULL AND r.expires_at > :now "
            + "ORDER BY r.created_at DESC, r.id DESC LIMIT :limit")
    List<LegacyRoomSummaryRow> liveRooms(Instant now, int limit);
}
