package io.ghostrooms.protocol.rest;

import io.ghostrooms.protocol.socket.AttachmentDto;
import java.util.List;

/** GET /api/files/message/:messageId answer (compat: no data envelope). */
public record MessageAttachments(boolean success, List<AttachmentDto> attachments) {
}
