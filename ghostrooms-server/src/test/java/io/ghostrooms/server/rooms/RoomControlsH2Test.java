package io.ghostrooms.server.rooms;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The owner's controls on embedded H2 in PostgreSQL mode: always runs. */
@DisplayName("room controls on embedded H2")
class RoomControlsH2Test extends AbstractRoomControlsTest {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
