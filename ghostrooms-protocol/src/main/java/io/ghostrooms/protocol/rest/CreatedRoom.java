package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * data of POST /api/rooms. {@code ownerToken} (ours) is the bearer secret of the room controls,
 * shown only here and once; omitted when the caller did not create the room (a DM room that
 * already existed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedRoom(String token, String name, String expiresAt, String ownerToken) {
    public CreatedRoom(String token, String name, String expiresAt) {
        this(token, name, expiresAt, null);
    }
}
