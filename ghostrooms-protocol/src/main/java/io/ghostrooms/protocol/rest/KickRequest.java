package io.ghostrooms.protocol.rest;

/** Body of POST /api/rooms/:token/kick (owner): the nickname of the member to remove. */
public record KickRequest(String nickname) {
}
