package io.ghostrooms.server.legacy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The legacy API on embedded H2 in PostgreSQL mode: always runs. */
@DisplayName("legacy ChatBackEnd API on embedded H2")
class LegacyApiH2Test extends AbstractLegacyApiTest {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
