package io.ghostrooms.server.messages;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import org.junit.jupiter.api.DisplayName;

/** History cursors on embedded H2 in PostgreSQL mode: always runs. */
@DisplayName("history cursors on embedded H2")
class HistoryCursorH2Test extends AbstractHistoryCursorTest {
    private Database database;

    @Override
    Database openDatabase() {
        database = Database.open(DatabaseUrl.embeddedH2(), 2);
        return database;
    }

    @Override
    void closeDatabase() {
        database.close();
    }
}
