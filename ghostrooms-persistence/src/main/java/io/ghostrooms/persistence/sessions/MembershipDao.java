package io.ghostrooms.persistence.sessions;

import io.ghostrooms.persistence.StatementFailedException;
import io.ghostrooms.persistence.rooms.RoomRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * The statements every join and leave runs, in plain JDBC on a Jdbi handle's connection (Jdbi keeps
 * the transaction and the pool). Attaching a Jdbi SQL Object builds a proxy and a handler for each
 * of its methods on every use; on the join path that cost more than the queries themselves
 * (bench/analysis.md). Instants are bound and read as Jdbi does (JDBC timestamps).
 */
public final class MembershipDao {
    private static final String LOCK_ROOM = "SELECT id, token, name, is_public, is_dm, capacity, created_at, expires_at, "
            + "owner_token_hash, password_hash, locked, vanish_when_empty FROM rooms WHERE id = ? FOR UPDATE";
    private static final String OCCUPANCY = "SELECT COUNT(*), COUNT(CASE WHEN nickname_key = ? THEN 1 END) "
            + "FROM sessions WHERE room_id = ?";
    /*
     * Both inserts end in ON CONFLICT DO NOTHING: a taken token hash or (room, nickname key) inserts
     * nothing instead of raising, so no unique violation reaches PostgreSQL's log, whose DETAIL line
     * would quote the key (a nickname, a token hash). No conflict target: H2 (PostgreSQL mode) only
     * accepts that form; the table's unique keys are exactly those two. Foreign keys still raise.
     */
    private static final String INSERT_SESSION = "INSERT INTO sessions "
            + "(token_hash, room_id, nickname, nickname_key, created_at, last_active_at) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";
    /** The insert with the capacity and nickname checks in it: one round trip for the usual join. */
    private static final String INSERT_SESSION_IF_ROOM = "INSERT INTO sessions "
            + "(token_hash, room_id, nickname, nickname_key, created_at, last_active_at) "
            + "SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM sessions WHERE room_id = ?) < ? "
            + "AND NOT EXISTS (SELECT 1 FROM sessions WHERE room_id = ? AND nickname_key = ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String DELETE_SESSION = "DELETE FROM sessions WHERE id = ?";

    /** How full a room is, and whether the nickname asked for is held in it (case-insensitively). */
    public record Occupancy(int members, boolean nicknameTaken) {
    }

    private final Handle handle;

    public MembershipDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * The room, its row locked until the transaction ends: joins of one room queue here, so the
     * capacity and nickname checks that follow see every committed member (call inside a transaction).
     */
    public Optional<RoomRow> lockRoom(long roomId) {
        try (PreparedStatement st = connection().prepareStatement(LOCK_ROOM)) {
            st.setLong(1, roomId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RoomRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getInt(6), instant(rs, 7), instant(rs, 8), rs.getString(9),
                        rs.getString(10), rs.getBoolean(11), rs.getBoolean(12)));
            }
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }

    public Occupancy occupancy(long roomId, String nicknameKey) {
        try (PreparedStatement st = connection().prepareStatement(OCCUPANCY)) {
            st.setString(1, nicknameKey);
            st.setLong(2, roomId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Occupancy(rs.getInt(1), rs.getInt(2) > 0);
            }
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }

    /**
     * Inserts a session (last active = created) and returns its id, or empty when its token hash or
     * its nickname key in the room is taken (nothing is raised; {@link #occupancy} tells which).
     */
    public OptionalLong insertSession(String tokenHash, long roomId, String nickname, String nicknameKey,
                                      Instant createdAt) {
        try (PreparedStatement st = connection().prepareStatement(INSERT_SESSION, new String[] {"id"})) {
            bindSession(st, tokenHash, roomId, nickname, nicknameKey, createdAt);
            return inserted(st);
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }

    /**
     * Inserts a session if the room has fewer than {@code capacity} members and none holds the
     * nickname; returns its id, or empty if not ({@link #occupancy} tells which). A nickname key or
     * token hash taken by a join the checks did not see inserts nothing too, instead of raising. Call after
     * {@link #lockRoom} in the same transaction: this statement's snapshot then has every member
     * committed before the lock was granted.
     */
    public OptionalLong insertSessionIfRoom(String tokenHash, long roomId, String nickname, String nicknameKey,
                                            Instant createdAt, int capacity) {
        try (PreparedStatement st = connection().prepareStatement(INSERT_SESSION_IF_ROOM, new String[] {"id"})) {
            bindSession(st, tokenHash, roomId, nickname, nicknameKey, createdAt);
            st.setLong(7, roomId);
            st.setInt(8, capacity);
            st.setLong(9, roomId);
            st.setString(10, nicknameKey);
            return inserted(st);
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }

    /** Deletes a session; false if it was already gone. */
    public boolean deleteSession(long sessionId) {
        try (PreparedStatement st = connection().prepareStatement(DELETE_SESSION)) {
            st.setLong(1, sessionId);
            return st.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }

    /** The six columns both inserts start with (last active = created). */
    private static void bindSession(PreparedStatement st, String tokenHash, long roomId, String nickname,
                                    String nicknameKey, Instant createdAt) throws SQLException {
        Timestamp at = Timestamp.from(createdAt);
        st.setString(1, tokenHash);
        st.setLong(2, roomId);
        st.setString(3, nickname);
        st.setString(4, nicknameKey);
        st.setTimestamp(5, at);
        st.setTimestamp(6, at);
    }

    /** Runs an insert of at most one row: its generated id, or empty when it inserted nothing. */
    private static OptionalLong inserted(PreparedStatement st) throws SQLException {
        if (st.executeUpdate() == 0) {
            return OptionalLong.empty();
        }
        try (ResultSet keys = st.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("a row was inserted but no id came back");
            }
            return OptionalLong.of(keys.getLong(1));
        }
    }

    private Connection connection() {
        return handle.getConnection();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
