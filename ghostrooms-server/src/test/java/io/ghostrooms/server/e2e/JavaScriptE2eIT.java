package io.ghostrooms.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import io.ghostrooms.server.PostgresServerLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the socket.io-client suite in e2e/ against the built fat jar: once on embedded H2, once on
 * PostgreSQL. Without node (or PostgreSQL) the run is skipped loudly, and fails when CI=true.
 */
class JavaScriptE2eIT {
    static final boolean CI = "true".equals(System.getenv("CI"));
    static final String PG_BASE = System.getenv().getOrDefault("TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    /** A room token, a token hash (64 hex), or a unique key's value quoted in a DETAIL line. */
    private static final java.util.regex.Pattern SECRET_IN_LOG =
            java.util.regex.Pattern.compile("ghost-[a-z0-9]{8}|ghost-dm-|\\b[0-9a-f]{64}\\b|Key \\((token|token_hash|nickname_key)\\)");
    static Path e2eDir;
    static String jar;

    @BeforeAll
    static void prepare() throws Exception {
        e2eDir = Path.of(System.getProperty("ghostrooms.e2eDir", "../e2e")).toAbsolutePath().normalize();
        jar = System.getProperty("ghostrooms.jar", "target/ghostrooms-server.jar");
        if (!onPath("node") || !onPath("npm")) {
            if (CI) {
                fail("node and npm are required for the e2e suite with CI=true");
            }
            System.err.println("NODE NOT FOUND: JavaScript e2e suite SKIPPED");
            Assumptions.abort("node not on PATH");
        }
        // Every devDependency installed, not only the first one: node_modules left by an older
        // package.json (before ajv and the OpenAPI validator) would fail every e2e file.
        if (!List.of("socket.io-client", "ws", "ajv", "ajv-formats", "@seriousme/openapi-schema-validator").stream()
                .allMatch(m -> Files.isDirectory(e2eDir.resolve("node_modules").resolve(m)))) {
            assertEquals(0, run(Map.of(), "npm", "ci", "--no-audit", "--no-fund"), "npm ci failed");
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void suitePassesOnEmbeddedH2() throws Exception {
        System.out.println("=== e2e suite on embedded H2 ===");
        assertEquals(0, run(Map.of(), "npm", "test"), "e2e suite failed on H2");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void suitePassesOnPostgreSql() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_BASE)) {
            c.isValid(2);
        } catch (Exception e) {
            if (CI) {
                fail("PostgreSQL unreachable with CI=true");
            }
            System.err.println("POSTGRESQL UNREACHABLE: e2e suite on PostgreSQL SKIPPED");
            Assumptions.abort("PostgreSQL unreachable");
        }
        String schema = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String url = PG_BASE + (PG_BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        System.out.println("=== e2e suite on PostgreSQL (schema " + schema + ") ===");
        PostgresServerLog log = PostgresServerLog.mark();
        try {
            assertEquals(0, run(Map.of("E2E_DATABASE_URL", url), "npm", "test"), "e2e suite failed on PostgreSQL");
            // PROTOCOL "Lifecycle": no error PostgreSQL logs carries a token (or a nickname, by its key).
            List<String> leaks = log.entriesSinceMark().stream().map(PostgresServerLog.Entry::text)
                    .filter(text -> SECRET_IN_LOG.matcher(text).find()).toList();
            assertEquals(List.of(), leaks, "PostgreSQL's own log during the e2e suite");
        } finally {
            // Tests that need a database of their own name theirs after this one.
            try (Connection c = DriverManager.getConnection(PG_BASE);
                 var schemas = c.prepareStatement("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE ?")) {
                schemas.setString(1, schema.replace("_", "\\_") + "%");
                List<String> made = new ArrayList<>();
                try (var rs = schemas.executeQuery()) {
                    while (rs.next()) {
                        made.add(rs.getString(1));
                    }
                }
                for (String name : made) {
                    c.createStatement().execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
                }
            }
        }
    }

    private static int run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(e2eDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("GHOSTROOMS_JAR", Path.of(jar).toAbsolutePath().toString());
        Process p = pb.start();
        // Copied line by line through System.out so the runner's summary lands in the Maven log.
        Thread pump = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                lines.lines().forEach(System.out::println);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        pump.start();
        if (!p.waitFor(14, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("e2e suite timed out");
        }
        pump.join(5_000);
        return p.exitValue();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
