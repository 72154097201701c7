package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * data of GET /api/rooms/:token (and of PATCH). The room-control flags (ours) are present only
 * when true ({@code hasPassword}, {@code locked}, {@code vanishWhenEmpty}), so a room without
 * controls reads exactly as before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomInfo(String token, String name, @JsonProperty("isPublic") boolean isPublic, String expiresAt,
                       int participantCount, String createdAt, Boolean hasPassword, Boolean locked,
                       Boolean vanishWhenEmpty) {
    public RoomInfo(String token, String name, boolean isPublic, String expiresAt, int participantCount,
                    String createdAt) {
        this(token, name, isPublic, expiresAt, participantCount, createdAt, null, null, null);
    }

    /** The flags as the wire wants them: true, or absent. */
    public static Boolean flag(boolean value) {
        return value ? Boolean.TRUE : null;
    }
}
