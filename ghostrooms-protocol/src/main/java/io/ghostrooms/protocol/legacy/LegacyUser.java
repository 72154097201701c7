package io.ghostrooms.protocol.legacy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A legacy user, Prisma-style. In a message whose sender is gone (it left every room) only id and
 * username are known: the timestamps are then absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LegacyUser(String id, String username, String createdAt, String updatedAt) {
}
