package io.ghostrooms.protocol.legacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A legacy room, Prisma-style. The list (roomsList, GET /api/rooms) has {@code users} and
 * {@code _count}; one room (roomCreated, joinedRoom, GET /api/rooms/:roomId) has {@code users} and
 * {@code messages}, oldest first. Absent parts are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LegacyRoom(String id, String name, String createdAt, String updatedAt, List<LegacyRoomUser> users,
                         List<LegacyMessage> messages, @JsonProperty("_count") Count count) {

    /** Prisma's _count: how many messages the room holds and how many users are in it. */
    public record Count(int messages, int users) {
    }
}
