package io.ghostrooms.protocol.legacy;

import static io.ghostrooms.protocol.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the exact JSON of the legacy ChatBackEnd API's records (Prisma-style) with a plain ObjectMapper. */
class LegacyJsonShapeTest {
    private static final String AT = "2026-11-25T10:00:00.000Z";
    private static final String ROOM = "3f2b8c1e-7a4d-4e1b-9c0a-5d6e7f809a1b";
    private static final LegacyUser ANN = new LegacyUser("u-1", "Ann", AT, AT);
    private static final String ANN_JSON = "{\"id\":\"u-1\",\"username\":\"Ann\",\"createdAt\":\"" + AT
            + "\",\"updatedAt\":\"" + AT + "\"}";

    @Test
    void registeredHasSuccessAndTheUser() {
        assertEquals("{\"success\":true,\"user\":" + ANN_JSON + "}", write(new LegacyResults.Registered(ANN)));
    }

    @Test
    void aListedRoomHasUsersAndUnderscoreCountButNoMessages() {
        LegacyRoom room = new LegacyRoom(ROOM, "General", AT, AT,
                List.of(new LegacyRoomUser("m-1", "u-1", ROOM, AT, ANN)), null, new LegacyRoom.Count(3, 1));
        assertEquals("{\"success\":true,\"rooms\":[{\"id\":\"" + ROOM + "\",\"name\":\"General\",\"createdAt\":\"" + AT
                + "\",\"updatedAt\":\"" + AT + "\",\"users\":[{\"id\":\"m-1\",\"userId\":\"u-1\",\"roomId\":\"" + ROOM
                + "\",\"joinedAt\":\"" + AT + "\",\"user\":" + ANN_JSON + "}],\"_count\":{\"messages\":3,\"users\":1}}]}",
                write(new LegacyResults.Rooms(List.of(room))));
    }

    @Test
    void oneRoomHasItsMessagesAndNoCount() {
        LegacyMessage message = new LegacyMessage("x-1", "hi", "u-1", ROOM, AT, ANN);
        LegacyRoom room = new LegacyRoom(ROOM, "General", AT, AT, List.of(), List.of(message), null);
        assertEquals("{\"success\":true,\"room\":{\"id\":\"" + ROOM + "\",\"name\":\"General\",\"createdAt\":\"" + AT
                + "\",\"updatedAt\":\"" + AT + "\",\"users\":[],\"messages\":[{\"id\":\"x-1\",\"content\":\"hi\","
                + "\"userId\":\"u-1\",\"roomId\":\"" + ROOM + "\",\"createdAt\":\"" + AT + "\",\"user\":" + ANN_JSON + "}]}}",
                write(new LegacyResults.OneRoom(room)));
    }

    @Test
    void aGoneSenderHasNoTimestamps() {
        assertEquals("{\"id\":\"u-2\",\"username\":\"Bob\"}", write(new LegacyUser("u-2", "Bob", null, null)));
    }

    @Test
    void presenceNotFoundAndAckShapes() {
        assertEquals("{\"userId\":\"u-1\",\"username\":\"Ann\"}", write(new LegacyResults.UserPresence("u-1", "Ann")));
        assertEquals("{\"success\":false,\"error\":\"Room not found\"}", write(LegacyResults.NotFound.ROOM));
        assertEquals("{\"success\":true}", write(LegacyResults.Done.OK));
        assertEquals("{\"success\":false,\"error\":{\"message\":\"Not in that room\",\"code\":\"NOT_IN_ROOM\"}}",
                write(new LegacyResults.Failed("Not in that room", "NOT_IN_ROOM")));
    }
}
