package io.ghostrooms.server;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A migrated database in a schema of its own on the test PostgreSQL ({@code TEST_DATABASE_URL},
 * default {@value #DEFAULT_URL}), dropped on close. Its connections carry an application name of
 * their own, so {@link #backendPids()} can tell this test's server processes (and so its lines in
 * PostgreSQL's log, see {@link PostgresServerLog}) from those of other suites sharing the server.
 * Unreachable: the calling test is skipped loudly, or fails when CI=true.
 */
public final class PostgresTestDatabase implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String base;
    private final String schema;
    private final String url;
    private final Database database;

    private PostgresTestDatabase(String base, String schema, String url, Database database) {
        this.base = base;
        this.schema = schema;
        this.url = url;
        this.database = database;
    }

    /** Opens one for a test whose name starts the schema's ({@code prefix}: lower case letters and '_'). */
    public static PostgresTestDatabase open(String prefix, int poolSize) {
        String base = baseUrl();
        try (Connection c = DriverManager.getConnection(base)) {
            c.isValid(2);
        } catch (SQLException e) {
            String reason = e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState());
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("POSTGRESQL UNREACHABLE (" + reason + ") with CI=true: " + prefix + " FAILED");
            }
            System.err.println("*".repeat(78));
            System.err.println("POSTGRESQL UNREACHABLE (" + reason + "): " + prefix + " PostgreSQL tests SKIPPED");
            System.err.println("*".repeat(78));
            Assumptions.abort("PostgreSQL unreachable");
        }
        String schema = prefix + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
        return new PostgresTestDatabase(base, schema, url, Database.open(DatabaseUrl.parse(url), poolSize));
    }

    public static String baseUrl() {
        String raw = System.getenv("TEST_DATABASE_URL");
        return raw == null || raw.isBlank() ? DEFAULT_URL : raw;
    }

    /** A connection to the server outside this schema's pool (its own backend, not one of {@link #backendPids()}). */
    public static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(baseUrl());
    }

    public Database database() {
        return database;
    }

    /**
     * The JDBC URL of this schema (DATABASE_URL for a whole server in a test): its connections carry
     * the schema as application name too, so {@link #backendPids()} counts them.
     */
    public String url() {
        return url;
    }

    /** The schema, which is also the application name of every connection of the pool. */
    public String schema() {
        return schema;
    }

    /** Process ids of the server backends serving this database's pool right now. */
    public Set<Integer> backendPids() {
        Set<Integer> pids = new HashSet<>();
        try (Connection c = adminConnection();
             PreparedStatement st = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list backends", e);
        }
        return pids;
    }

    @Override
    public void close() {
        database.close();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }
}
