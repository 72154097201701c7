package io.ghostrooms.protocol.rest;

import io.ghostrooms.protocol.socket.AttachmentDto;

/** POST /api/files/upload answer; `attachment` sits at the top level (compat). */
public record UploadResponse(boolean success, AttachmentDto attachment, String messageType, String message) {
}
