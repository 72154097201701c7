package io.ghostrooms.protocol.socket;

public record AttachmentDto(String id, String fileName, long fileSize, String mimeType, String url) {
}
