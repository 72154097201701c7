package io.ghostrooms.persistence.legacy;

import java.time.Instant;

/** A live legacy room as its list shows it: counts of its messages and members. */
public record LegacyRoomSummaryRow(long id, String legacyId, String name, Instant createdAt, int messageCount,
                                   int userCount) {
}
