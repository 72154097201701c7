package io.ghostrooms.persistence.messages;

import io.ghostrooms.persistence.StatementFailedException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The group-commit writer's insert, as one plain JDBC batch on a Jdbi handle's connection (Jdbi
 * keeps the transaction and the pool). It runs for every batch of messages; attaching the SQL Object
 * and binding each row's record by reflection cost more than the insert (bench/analysis.md).
 */
public final class MessageBatchDao {
    private static final String INSERT = "INSERT INTO messages (id, room_id, session_id, type, content, nickname, created_at, "
            + "legacy_user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Handle handle;

    public MessageBatchDao(Handle handle) {
        this.handle = handle;
    }

    public void insertAll(List<MessageRow> rows) {
        try (PreparedStatement st = handle.getConnection().prepareStatement(INSERT)) {
            for (MessageRow row : rows) {
                st.setString(1, row.id());
                st.setLong(2, row.roomId());
                if (row.sessionId() == null) {
                    st.setNull(3, Types.BIGINT);
                } else {
                    st.setLong(3, row.sessionId());
                }
                st.setString(4, row.type());
                st.setString(5, row.content());
                st.setString(6, row.nickname());
                st.setTimestamp(7, Timestamp.from(row.createdAt()));
                st.setString(8, row.legacyUserId());
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw new StatementFailedException(e);
        }
    }
}
