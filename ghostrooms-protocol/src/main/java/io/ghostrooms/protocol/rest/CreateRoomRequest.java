package io.ghostrooms.protocol.rest;

/**
 * Body of POST /api/rooms; every field optional. {@code password} and {@code vanishWhenEmpty} are
 * room controls (ours): a room created without them behaves as before.
 */
public record CreateRoomRequest(Double ttlHours, String name, Boolean isPublic, Boolean isDM, String password,
                                Boolean vanishWhenEmpty) {
    /** A room without controls (the seed's body). */
    public CreateRoomRequest(Double ttlHours, String name, Boolean isPublic, Boolean isDM) {
        this(ttlHours, name, isPublic, isDM, null, null);
    }
}
