package io.ghostrooms.server.legacy;

import io.ghostrooms.server.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The legacy API on a real PostgreSQL (schemas of its own, dropped afterwards). */
@DisplayName("legacy ChatBackEnd API on PostgreSQL")
class LegacyApiPostgresTest extends AbstractLegacyApiTest {
    private final List<PostgresTestDatabase> databases = new ArrayList<>();

    @Override
    Map<String, String> databaseEnv() {
        PostgresTestDatabase postgres = PostgresTestDatabase.open("gr_legacy_", 2);
        databases.add(postgres);
        return Map.of("DATABASE_URL", postgres.url());
    }

    @Override
    void afterServer() {
        databases.forEach(PostgresTestDatabase::close);
    }
}
