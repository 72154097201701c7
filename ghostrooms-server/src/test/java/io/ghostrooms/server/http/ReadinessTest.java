package io.ghostrooms.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.server.PostgresTestDatabase;
import io.ghostrooms.server.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /health/ready against the real server in process: 200 on the embedded database; on a real
 * PostgreSQL that goes away, 503 {@code not_ready} with {@code database: down}, and 200 again once
 * it is back. {@code /health} stays the liveness answer of before.
 *
 * <p>How the database goes away (the choice, for a test that must be robust and bounded on a shared
 * PostgreSQL): the test creates a database of its own ({@code gr_ready_<random>}) on the test server
 * ({@code TEST_DATABASE_URL}), points the server's DATABASE_URL at it, then runs
 * {@code ALTER DATABASE … ALLOW_CONNECTIONS false} and {@code pg_terminate_backend} on that
 * database's backends only. From then on every new connection is refused by PostgreSQL itself
 * ("database is not currently accepting connections", superusers included; {@code REVOKE CONNECT}
 * would not stop the superuser the test URL uses), and the pool's old connections are dead: to the
 * server this is a database that stopped answering. {@code ALLOW_CONNECTIONS true} brings it back.
 * Nothing else on the shared server is touched, no root or PostgreSQL binaries are needed (unlike a
 * private cluster started with pg_ctl, as bench/faults does), and the database is dropped
 * ({@code WITH (FORCE)}) at the end. Bounded: each unready answer takes about the pool's 3 s
 * connection timeout; the test has 60 s. PostgreSQL unreachable: skipped loudly, failed with CI=true.
 */
class ReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyOnTheEmbeddedDatabaseAndHealthUnchanged() throws Exception {
        try (TestServer server = new TestServer()) {
            HttpResponse<String> ready = server.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals(JSON.readTree("{\"status\":\"ready\",\"checks\":{\"database\":\"up\"}}"), JSON.readTree(ready.body()));
            assertTrue(ready.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

            assertEquals(200, server.send("HEAD", "/health/ready", null).statusCode());
            assertEquals(405, server.post("/health/ready", "{}").statusCode());

            HttpResponse<String> health = server.get("/health");
            assertEquals(200, health.statusCode());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("ok", body.get("status").asText());
            assertEquals("GhostRooms Backend", body.get("service").asText());
            assertTrue(body.get("uptime").isNumber());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void notReadyWhilePostgresRefusesConnectionsAndReadyOnceItIsBack() throws Exception {
        requirePostgres();
        String name = "gr_ready_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        admin("CREATE DATABASE " + name);
        try {
            try (TestServer server = new TestServer(Map.of("DATABASE_URL", urlOf(name)))) {
                assertReady(server, true);

                admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                assertReady(server, false);
                assertEquals(503, server.get("/health").statusCode(), "the liveness answer says degraded as before");

                admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                HttpResponse<String> again;
                do {
                    again = server.get("/health/ready");
                } while (again.statusCode() != 200 && System.nanoTime() < deadline);
                assertEquals(200, again.statusCode(), "ready again once the database answers: " + again.body());
            }
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void assertReady(TestServer server, boolean ready) throws Exception {
        HttpResponse<String> res = server.get("/health/ready");
        assertEquals(ready ? 200 : 503, res.statusCode(), res.body());
        String expected = ready ? "{\"status\":\"ready\",\"checks\":{\"database\":\"up\"}}"
                : "{\"status\":\"not_ready\",\"checks\":{\"database\":\"down\"}}";
        assertEquals(JSON.readTree(expected), JSON.readTree(res.body()));
    }

    /** TEST_DATABASE_URL with its database replaced by {@code database} (user and options kept). */
    private static String urlOf(String database) {
        String base = PostgresTestDatabase.baseUrl();
        URI uri = URI.create(base.substring("jdbc:".length()));
        return "jdbc:postgresql://" + uri.getRawAuthority() + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.baseUrl())) {
            c.isValid(2);
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("POSTGRESQL UNREACHABLE with CI=true: ReadinessTest FAILED");
            }
            System.err.println("POSTGRESQL UNREACHABLE: ReadinessTest's PostgreSQL case SKIPPED");
            Assumptions.abort("PostgreSQL unreachable");
        }
    }
}
