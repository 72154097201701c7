package io.ghostrooms.persistence.rooms;

import java.time.Instant;

public record PublicRoomRow(String token, String name, int participantCount, Instant expiresAt, Instant createdAt) {
}
