package io.ghostrooms.protocol.rest;

/** Body of POST /api/rooms; every field optional. */
public record CreateRoomRequest(Double ttlHours, String name, Boolean isPublic, Boolean isDM) {
}
