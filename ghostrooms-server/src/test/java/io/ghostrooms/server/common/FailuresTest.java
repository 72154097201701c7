package io.ghostrooms.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.protocol.ErrorCode;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    /** The chain a JDBC batch gets when PostgreSQL is stopped under it (bench/faults: pg-outage-fast). */
    private static Throwable batchFailedWith(String sqlState) {
        SQLException cause = new SQLException("terminating connection", sqlState);
        BatchUpdateException batch = new BatchUpdateException("batch entry 0", sqlState, 0, new int[0], cause);
        return new RuntimeException("unable to execute", batch);
    }

    @Test
    void serverShutdownAndRecoveryMeanUnavailable() {
        for (String state : new String[]{"57P01", "57P02", "57P03", "08006", "08001"}) {
            assertTrue(Failures.isDatabaseUnavailable(batchFailedWith(state)), state);
            assertEquals(ErrorCode.DATABASE_UNAVAILABLE, Failures.translate(batchFailedWith(state)).code(), state);
        }
    }

    @Test
    void otherErrorsAreNotUnavailability() {
        // 57014 is a cancelled statement (e.g. a timeout), 23505 a unique violation: the database is up.
        for (String state : new String[]{"57014", "23505", "42P01"}) {
            assertFalse(Failures.isDatabaseUnavailable(batchFailedWith(state)), state);
        }
        assertTrue(Failures.isIntegrityViolation(batchFailedWith("23505")));
    }

    @Test
    void onlyAUniqueViolationIsAUniqueViolation() {
        // A duplicate nickname that slipped past the occupancy check (join race) is 23505; a missing
        // room (23503, foreign key) must not be reported as NICKNAME_IN_USE.
        assertTrue(Failures.isUniqueViolation(batchFailedWith("23505")));
        assertFalse(Failures.isUniqueViolation(batchFailedWith("23503")));
        assertFalse(Failures.isUniqueViolation(new RuntimeException("no SQL cause")));
    }
}
