package io.ghostrooms.persistence.attachments;

import java.time.Instant;

/** An uploaded file; messageId is null until a message claims it. */
public record AttachmentRow(String id, String messageId, String fileName, String storedName, long fileSize,
                            String mimeType, String url, Instant createdAt) {
}
