package io.ghostrooms.protocol.rest;

/** Body of POST /api/rooms/:token/join; {@code password} only for a room created with one. */
public record JoinRoomRequest(String nickname, String password) {
    public JoinRoomRequest(String nickname) {
        this(nickname, null);
    }
}
