package io.ghostrooms.protocol.socket;

public record RoomTtlWarning(long expiresIn) {
}
