package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An entry of GET /api/rooms/public and of the public_rooms_update event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicRoom(String token, String name, int participantCount, String expiresAt, String createdAt) {
}
