package io.ghostrooms.protocol.socket;

public record DeleteMessagePayload(String messageId) {
}
