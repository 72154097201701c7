package io.ghostrooms.server.files;

import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.protocol.socket.AttachmentDto;

/** Attachment rows to the wire's attachment object (uploads, messages and history alike). */
public final class Attachments {
    /** Attachments of one message; the contract's own limit, checked by send_message and the payload reader. */
    public static final int MAX_PER_MESSAGE = 10;

    private Attachments() {
    }

    public static AttachmentDto toDto(AttachmentRow row) {
        return new AttachmentDto(row.id(), row.fileName(), row.fileSize(), row.mimeType(), row.url());
    }
}
