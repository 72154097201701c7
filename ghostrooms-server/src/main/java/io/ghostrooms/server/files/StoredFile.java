package io.ghostrooms.server.files;

/** An uploaded file as served back: its bytes, stored type, and whether browsers show it inline. */
public record StoredFile(byte[] bytes, String contentType, String displayName, boolean inline) {
}
