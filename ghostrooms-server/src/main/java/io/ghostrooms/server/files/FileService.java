package io.ghostrooms.server.files;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.messages.MessageDao;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.socket.AttachmentDto;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Attachment files: listing a message's attachments, and deleting files whose owner is gone. */
public final class FileService {
    private static final Logger log = LoggerFactory.getLogger(FileService.class);
    public static final Duration UNCLAIMED_UPLOAD_TTL = Duration.ofHours(1);

    private final Database database;
    private final FileStore store;
    private final UploadRegistry uploads;
    private final Clock clock;
    private final Executor workers;

    public FileService(Database database, FileStore store, UploadRegistry uploads, Clock clock, Executor workers) {
        this.database = database;
        this.store = store;
        this.uploads = uploads;
        this.clock = clock;
        this.workers = workers;
    }

    public FileStore store() {
        return store;
    }

    public List<AttachmentDto> attachmentsOf(String messageId) {
        if (messageId == null || messageId.length() > 64 || database.dao(MessageDao.class).findById(messageId).isEmpty()) {
            throw new GhostRoomsException(ErrorCode.NOT_FOUND, "Message not found");
        }
        return database.dao(AttachmentDao.class).forMessages(List.of(messageId)).stream()
                .map(Attachments::toDto).toList();
    }

    /** Deletes stored files on a worker; the rows are already gone. */
    public void deleteStoredLater(Collection<String> storedNames) {
        if (storedNames == null || storedNames.isEmpty()) {
            return;
        }
        List<String> names = List.copyOf(storedNames);
        try {
            workers.execute(() -> names.forEach(store::delete));
        } catch (RuntimeException e) {
            log.warn("file deletion deferred to the startup sweep ({})", Failures.describe(e));
        }
    }

    /** Deletes stored files now, on the caller's worker (the owner's close); the rows are already gone. */
    public void deleteStoredNow(Collection<String> storedNames) {
        if (storedNames != null) {
            storedNames.forEach(store::delete);
        }
    }

    /** Deletes stored files no attachment row knows (e.g. rooms that ended while we were down). */
    public int sweepOrphans() {
        try {
            java.util.Set<String> stored = new java.util.HashSet<>(store.list());
            stored.removeAll(database.dao(AttachmentDao.class).allStoredNames());
            stored.forEach(store::delete);
            return stored.size();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("orphan file sweep skipped ({})", Failures.describe(e));
            return 0;
        }
    }

    /** Uploads no message claimed within an hour are deleted with their files. */
    public int deleteUnclaimedUploads() {
        AttachmentDao dao = database.dao(AttachmentDao.class);
        int deleted = 0;
        for (AttachmentRow row : dao.findUnclaimedBefore(clock.instant().minus(UNCLAIMED_UPLOAD_TTL))) {
            uploads.forget(row.id());
            if (dao.deleteUnclaimed(row.id()) == 1) {
                store.delete(row.storedName());
                deleted++;
            }
        }
        return deleted;
    }
}
