package io.ghostrooms.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The DAO suite on embedded H2 in PostgreSQL mode: always runs. */
@DisplayName("DAO suite on embedded H2")
class H2DaoTest extends AbstractDaoTest {

    @Override
    protected Database openDatabase() {
        return Database.open(DatabaseUrl.embeddedH2(), 4);
    }

    @Test
    void embeddedDatabaseSaysSo() {
        try (Database other = Database.open(DatabaseUrl.parse(null), 1)) {
            assertTrue(other.embedded());
        }
    }

    @Test
    void closedDatabaseIsNotReachable() {
        Database other = Database.open(DatabaseUrl.embeddedH2(), 1);
        other.close();
        assertFalse(other.isReachable());
    }
}
