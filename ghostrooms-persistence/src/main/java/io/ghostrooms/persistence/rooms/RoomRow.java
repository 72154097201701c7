package io.ghostrooms.persistence.rooms;

import java.time.Instant;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

/**
 * A room. {@code ownerTokenHash} (SHA-256 hex of the owner token) and {@code passwordHash} (an
 * encoded PBKDF2 hash) are null when the room has no owner or no password; neither is ever the
 * secret itself.
 */
public record RoomRow(long id, String token, String name, boolean isPublic, boolean isDm, int capacity,
                      Instant createdAt, Instant expiresAt, String ownerTokenHash, String passwordHash,
                      boolean locked, boolean vanishWhenEmpty) {
    @JdbiConstructor
    public RoomRow {
    }

    /** A room without controls. */
    public RoomRow(long id, String token, String name, boolean isPublic, boolean isDm, int capacity,
                   Instant createdAt, Instant expiresAt) {
        this(id, token, name, isPublic, isDm, capacity, createdAt, expiresAt, null, null, false, false);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }

    public RoomRow withExpiresAt(Instant newExpiry) {
        return new RoomRow(id, token, name, isPublic, isDm, capacity, createdAt, newExpiry, ownerTokenHash,
                passwordHash, locked, vanishWhenEmpty);
    }

    public RoomRow withLocked(boolean nowLocked) {
        return new RoomRow(id, token, name, isPublic, isDm, capacity, createdAt, expiresAt, ownerTokenHash,
                passwordHash, nowLocked, vanishWhenEmpty);
    }

    /** Never the hashes: a row that reaches a log line by accident gives nothing away. */
    @Override
    public String toString() {
        return "RoomRow[id=" + id + ", isDm=" + isDm + ", expiresAt=" + expiresAt + ", locked=" + locked + "]";
    }
}
