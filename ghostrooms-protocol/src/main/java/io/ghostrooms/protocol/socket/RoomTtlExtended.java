package io.ghostrooms.protocol.socket;

/** room_ttl_extended: the room's new expiry (ISO-8601 UTC with milliseconds), set by its owner. */
public record RoomTtlExtended(String expiresAt) {
}
