package io.ghostrooms.protocol.legacy;

/** newMessage, and the messages of a room: Prisma's message with its user included. */
public record LegacyMessage(String id, String content, String userId, String roomId, String createdAt,
                            LegacyUser user) {
}
