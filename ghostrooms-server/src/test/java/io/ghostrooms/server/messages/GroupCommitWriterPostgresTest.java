package io.ghostrooms.server.messages;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group-commit guarantees on a real PostgreSQL (its own schema, dropped afterwards). */
class GroupCommitWriterPostgresTest {
    static final String BASE = System.getenv().getOrDefault("TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String SCHEMA = "gr_writer_" + UUID.randomUUID().toString().substring(0, 8);
    static Database db;

    @BeforeAll
    static void open() {
        try (Connection c = DriverManager.getConnection(BASE)) {
            c.isValid(2);
        } catch (Exception e) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("PostgreSQL unreachable with CI=true");
            }
            System.err.println("POSTGRESQL UNREACHABLE: group-commit PostgreSQL tests SKIPPED");
            Assumptions.abort("PostgreSQL unreachable");
        }
        db = Database.open(DatabaseUrl.parse(BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA), 4);
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
            try (Connection c = DriverManager.getConnection(BASE)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    @Test
    void concurrentSendsShareTransactions() throws Exception {
        GroupCommitWriterTest.assertBatched(db);
    }

    @Test
    void broadcastOrderIsQueueOrderAndFollowsCommit() throws Exception {
        GroupCommitWriterTest.assertCommitOrder(db);
    }
}
