package io.ghostrooms.server.rooms;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import org.junit.jupiter.api.DisplayName;

/** The room creation races on embedded H2 in PostgreSQL mode: always runs. */
@DisplayName("room creation races on embedded H2")
class RoomCreationRaceH2Test extends AbstractRoomCreationRaceTest {

    @Override
    Database openDatabase(int poolSize) {
        return Database.open(DatabaseUrl.embeddedH2(), poolSize);
    }

    @Override
    void closeDatabase() {
        database.close();
    }
}
