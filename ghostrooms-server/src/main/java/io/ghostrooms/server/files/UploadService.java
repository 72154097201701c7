package io.ghostrooms.server.files;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.rest.UploadResponse;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.Text;
import io.ghostrooms.server.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Upload rules: allowed types by extension and content, generated names, size, per-IP rate. */
public final class UploadService {
    /** Code points of a file's display name (the column holds them on both databases). */
    static final int MAX_FILE_NAME = 255;
    private final Database database;
    private final FileStore store;
    private final UploadRegistry registry;
    private final Config config;
    private final Clock clock;
    private final RateLimiter uploadLimiter;

    public UploadService(Database database, FileStore store, UploadRegistry registry, Config config, Clock clock,
                         RateLimiter uploadLimiter) {
        this.database = database;
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.clock = clock;
        this.uploadLimiter = uploadLimiter;
    }

    public long maxBytes() {
        return config.maxFileSizeBytes();
    }

    /** Counts an upload attempt of the client; throws RATE_LIMIT_EXCEEDED over the limit. */
    public void admit(String clientIp) {
        uploadLimiter.acquire(clientIp);
    }

    /**
     * Stores a received file (a temp file this method owns and removes) under a generated name and
     * records it as an unclaimed upload.
     */
    public UploadResponse store(Path received, String clientFileName) throws IOException {
        try {
            String fileName = cleanFileName(clientFileName);
            long size = Files.size(received);
            if (size == 0) {
                throw new GhostRoomsException(ErrorCode.NO_FILE, "The file is empty");
            }
            if (size > config.maxFileSizeBytes()) {
                throw new GhostRoomsException(ErrorCode.FILE_TOO_LARGE);
            }
            String extension = FileTypes.extension(fileName);
            String mimeType = FileTypes.mimeType(extension);
            if (mimeType == null || !FileTypes.contentMatches(extension, head(received), (int) Math.min(size, FileTypes.SNIFF_BYTES))) {
                throw new GhostRoomsException(ErrorCode.INVALID_FILE_TYPE);
            }
            String id = UUID.randomUUID().toString();
            String storedName = UUID.randomUUID() + "." + extension;
            store.put(storedName, received, mimeType);
            AttachmentRow row = new AttachmentRow(id, null, fileName, storedName, size, mimeType, store.urlOf(storedName),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            try {
                database.dao(AttachmentDao.class).insert(row);
            } catch (RuntimeException e) {
                store.delete(storedName);
                throw e;
            }
            registry.register(row);
            String type = FileTypes.isImage(mimeType) ? "IMAGE" : "FILE";
            return new UploadResponse(true, Attachments.toDto(row), type, "File uploaded successfully");
        } finally {
            Files.deleteIfExists(received);
        }
    }

    /**
     * GET /api/files/:name: the bytes, from either store. The HTTP file server is proxied rather
     * than redirected to, since it usually sits on a private network browsers cannot reach.
     */
    public StoredFile serve(String storedName) throws IOException {
        if (storedName == null || !LocalFileStore.STORED_NAME.matcher(storedName).matches()) {
            throw new GhostRoomsException(ErrorCode.NOT_FOUND, "File not found");
        }
        AttachmentRow row = database.dao(AttachmentDao.class).findByStoredName(storedName)
                .orElseThrow(() -> new GhostRoomsException(ErrorCode.NOT_FOUND, "File not found"));
        try (InputStream in = store.open(storedName)) {
            if (in == null) {
                throw new GhostRoomsException(ErrorCode.NOT_FOUND, "File not found");
            }
            return new StoredFile(in.readAllBytes(), row.mimeType(), row.fileName(), FileTypes.isImage(row.mimeType()));
        }
    }

    /**
     * The client's name as shown: cleaned, never refused for what it holds (PROTOCOL "Input rules"),
     * and only ever shown, never used as a path; a path in it is an attack, not a mistake.
     */
    static String cleanFileName(String raw) {
        if (raw == null) {
            throw new GhostRoomsException(ErrorCode.NO_FILE);
        }
        if (raw.contains("/") || raw.contains("\\")) {
            throw new GhostRoomsException(ErrorCode.INVALID_FILE_TYPE, "File name must not contain a path");
        }
        String name = Text.cleanDisplayName(raw.strip(), MAX_FILE_NAME);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new GhostRoomsException(ErrorCode.INVALID_FILE_TYPE);
        }
        return name;
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(FileTypes.SNIFF_BYTES);
        }
    }
}
