package io.ghostrooms.persistence.rooms;

import java.time.Instant;

public record RoomRow(long id, String token, String name, boolean isPublic, boolean isDm, int capacity,
                      Instant createdAt, Instant expiresAt) {
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
