package io.ghostrooms.protocol.rest;

public record JoinRoomRequest(String nickname) {
}
