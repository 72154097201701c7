package io.ghostrooms.protocol.rest;

/** data of POST /api/rooms/:token/join. */
public record JoinedRoom(String sessionToken, String nickname, String roomToken) {
}
