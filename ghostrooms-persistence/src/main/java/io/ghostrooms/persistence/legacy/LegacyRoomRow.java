package io.ghostrooms.persistence.legacy;

import java.time.Instant;

/** A legacy room: a row of rooms with a legacyId (its UUID on the wire); token names it on the room bus only. */
public record LegacyRoomRow(long id, String legacyId, String token, String name, int capacity, Instant createdAt,
                            Instant expiresAt) {
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
