package io.ghostrooms.protocol.legacy;

/** A membership (the old API's RoomUser): its own id, the user's and the room's, when it joined, the user. */
public record LegacyRoomUser(String id, String userId, String roomId, String joinedAt, LegacyUser user) {
}
