package io.ghostrooms.protocol.socket;

public record RoomLeft(String nickname) {
}
