package io.ghostrooms.persistence.attachments;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AttachmentRow.class)
public interface AttachmentDao {

    @SqlUpdate("INSERT INTO attachments (id, message_id, file_name, stored_name, file_size, mime_type, url, created_at) "
            + "VALUES (:id, :messageId, :fileName, :storedName, :fileSize, :mimeType, :url, :createdAt)")
    void insert(@BindMethods AttachmentRow row);

    @SqlQuery("SELECT * FROM attachments WHERE id = :id")
    Optional<AttachmentRow> findById(String id);

    @SqlQuery("SELECT * FROM attachments WHERE stored_name = :storedName")
    Optional<AttachmentRow> findByStoredName(String storedName);

    @SqlQuery("SELECT * FROM attachments WHERE message_id IN (<messageIds>) ORDER BY message_id, created_at, id")
    List<AttachmentRow> forMessages(@BindList("messageIds") Collection<String> messageIds);

    /** Binds uploads to a message; a row already claimed is left alone (its count is 0). */
    @SqlBatch("UPDATE attachments SET message_id = :messageId WHERE id = :id AND message_id IS NULL")
    int[] claim(@Bind("id") List<String> ids, @Bind("messageId") List<String> messageIds);

    @SqlQuery("SELECT a.stored_name FROM attachments a JOIN messages m ON a.message_id = m.id "
            + "WHERE m.room_id = :roomId")
    List<String> storedNamesInRoom(long roomId);

    @SqlQuery("SELECT stored_name FROM attachments WHERE message_id = :messageId")
    List<String> storedNamesOfMessage(String messageId);

    @SqlQuery("SELECT * FROM attachments WHERE message_id IS NULL AND created_at < :cutoff")
    List<AttachmentRow> findUnclaimedBefore(Instant cutoff);

    @SqlUpdate("DELETE FROM attachments WHERE id = :id AND message_id IS NULL")
    int deleteUnclaimed(String id);

    @SqlQuery("SELECT stored_name FROM attachments")
    List<String> allStoredNames();
}
