package io.ghostrooms.protocol.socket;

public record MessageDeleted(String messageId) {
}
