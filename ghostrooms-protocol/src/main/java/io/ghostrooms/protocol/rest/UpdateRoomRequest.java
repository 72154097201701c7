package io.ghostrooms.protocol.rest;

/** Body of PATCH /api/rooms/:token (owner): each field optional; at least one is needed. */
public record UpdateRoomRequest(Double ttlHours, Boolean locked) {
}
