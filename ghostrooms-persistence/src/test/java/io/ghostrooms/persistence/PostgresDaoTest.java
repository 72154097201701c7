package io.ghostrooms.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The DAO suite on a real PostgreSQL ({@code TEST_DATABASE_URL}, default {@value #DEFAULT_URL}), in a
 * schema of its own that is dropped afterwards. Unreachable: skipped loudly, or a failure when CI=true.
 */
@DisplayName("DAO suite on PostgreSQL")
class PostgresDaoTest extends AbstractDaoTest {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private DatabaseUrl server;
    private String schema;
    private DatabaseUrl schemaUrl;

    @Override
    protected Database openDatabase() {
        String raw = System.getenv("TEST_DATABASE_URL");
        server = DatabaseUrl.parse(raw == null || raw.isBlank() ? DEFAULT_URL : raw);
        if (server.embedded()) {
            fail("TEST_DATABASE_URL must name a PostgreSQL database, not an embedded one");
        }
        String target = target(server.jdbcUrl());
        try (Connection ignored = connect(server)) {
            // reachable
        } catch (SQLException e) {
            String reason = e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState());
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("POSTGRESQL UNREACHABLE at " + target + " (" + reason + ") with CI=true: PostgreSQL DAO suite FAILED");
            }
            System.err.println("*".repeat(78));
            System.err.println("POSTGRESQL UNREACHABLE at " + target + " (" + reason
                    + "): PostgreSQL DAO suite SKIPPED");
            System.err.println("Set TEST_DATABASE_URL or start PostgreSQL; with CI=true this is a failure.");
            System.err.println("*".repeat(78));
            return null;
        }
        schema = "gr_test_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        String base = server.jdbcUrl().replaceAll("([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
        String jdbc = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        System.out.println("PostgreSQL DAO suite running against " + target + " (schema " + schema + ")");
        schemaUrl = new DatabaseUrl(jdbc, server.user(), server.password(), schema, false);
        return Database.open(schemaUrl, 4);
    }

    @Override
    protected void releaseDatabase() {
        if (schema == null) {
            return;
        }
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    /** host:port/db of a jdbc:postgresql URL, without query parameters (they may hold credentials). */
    static String target(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int at = rest.lastIndexOf('@');
        return at >= 0 ? rest.substring(at + 1) : rest;
    }

    @Test
    void databaseOnPostgresqlIsNotEmbedded() {
        try (Database other = Database.open(schemaUrl, 1)) {
            assertFalse(other.embedded());
        }
    }

    @Test
    void reopeningAMigratedSchemaKeepsItUsable() {
        try (Database other = Database.open(schemaUrl, 1)) {
            assertTrue(other.isReachable());
        }
    }
}
