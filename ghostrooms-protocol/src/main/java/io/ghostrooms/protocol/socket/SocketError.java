package io.ghostrooms.protocol.socket;

/** Payload of the error event. */
public record SocketError(String message, String code) {
}
