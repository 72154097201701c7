package io.ghostrooms.protocol.socket;

public record JoinRoomPayload(String roomToken, String sessionToken) {
}
