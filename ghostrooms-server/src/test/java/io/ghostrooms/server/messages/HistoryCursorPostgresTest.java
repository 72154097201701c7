package io.ghostrooms.server.messages;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.server.PostgresTestDatabase;
import org.junit.jupiter.api.DisplayName;

/** History cursors on a real PostgreSQL (a schema of its own, dropped afterwards). */
@DisplayName("history cursors on PostgreSQL")
class HistoryCursorPostgresTest extends AbstractHistoryCursorTest {
    private PostgresTestDatabase postgres;

    @Override
    Database openDatabase() {
        postgres = PostgresTestDatabase.open("gr_history_", 2);
        return postgres.database();
    }

    @Override
    void closeDatabase() {
        postgres.close();
    }
}
