package io.ghostrooms.persistence.legacy;

import java.time.Instant;

/** A user of the legacy ChatBackEnd API: the client's own id and a display name. */
public record LegacyUserRow(String id, String username, Instant createdAt, Instant updatedAt) {
}
