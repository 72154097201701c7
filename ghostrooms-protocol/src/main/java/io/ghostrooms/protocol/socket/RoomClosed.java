package io.ghostrooms.protocol.socket;

public record RoomClosed(String reason) {
}
