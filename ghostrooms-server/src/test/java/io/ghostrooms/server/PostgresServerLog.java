package io.ghostrooms.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What PostgreSQL's own server log gained during a test, for tests of "no error the database logs
 * carries a token or content" (PROTOCOL Lifecycle). The log is {@code TEST_POSTGRES_LOG}, default
 * {@value #DEFAULT_PATH} (the Debian cluster's stderr log).
 *
 * <p>Use: {@link #mark()} before the work, then {@link #entriesSinceMark()} after it. The latter
 * first writes a marker line into the log from a fresh connection ({@code RAISE LOG}) and waits,
 * bounded, until it is in the file: that proves the file is this server's log (a wrong path cannot
 * pass vacuously) and that what the work's statements logged before it is written (PostgreSQL
 * writes its stderr log line-buffered, so the wait normally ends at once).
 *
 * <p>The server is shared with other suites, so an entry is attributed by its process id (the
 * log_line_prefix's {@code [%p]}; see {@link PostgresTestDatabase#backendPids()}) or by text only
 * this test uses (a random token).
 */
public final class PostgresServerLog {
    public static final String DEFAULT_PATH = "/var/log/postgresql/postgresql-15-main.log";
    private static final Duration MARKER_WAIT = Duration.ofSeconds(10);
    private static final Pattern PID = Pattern.compile("\\[(\\d+)\\]");
    /** An entry starts at a line that does not start with white space (a STATEMENT's SQL goes on indented). */
    private static final Pattern CONTINUATION = Pattern.compile("^\\s");
    private static final Pattern SEVERITY =
            Pattern.compile("\\b(DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT):  ");

    /** One log entry: its first line with its continuation lines, the backend's pid (-1 if none) and severity. */
    public record Entry(String text, int pid, String severity) {
        public boolean isError() {
            return "ERROR".equals(severity) || "FATAL".equals(severity) || "PANIC".equals(severity);
        }

        public boolean fromAnyOf(Set<Integer> pids) {
            return pids.contains(pid);
        }
    }

    private final Path path;
    private final long start;

    private PostgresServerLog(Path path, long start) {
        this.path = path;
        this.start = start;
    }

    public static Path path() {
        String raw = System.getenv("TEST_POSTGRES_LOG");
        if (raw != null && !raw.isBlank()) {
            return Path.of(raw);
        }
        // The Debian cluster of whichever major version .ci/run found or installed.
        try (var logs = Files.newDirectoryStream(Path.of("/var/log/postgresql"), "postgresql-*-main.log")) {
            for (Path log : logs) {
                return log;
            }
        } catch (IOException | RuntimeException noSuchDirectory) {
            // fall through to the default
        }
        return Path.of(DEFAULT_PATH);
    }

    /**
     * Records where the log ends now. An unreadable log skips the calling test with a loud message,
     * or fails it when CI=true.
     */
    public static PostgresServerLog mark() {
        Path path = path();
        if (!Files.isReadable(path)) {
            String why = "POSTGRESQL SERVER LOG " + path + " NOT READABLE (set TEST_POSTGRES_LOG)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + " with CI=true: the log check FAILED");
            }
            System.err.println("*".repeat(78));
            System.err.println(why + ": PostgreSQL log check SKIPPED");
            System.err.println("*".repeat(78));
            Assumptions.abort(why);
        }
        try {
            return new PostgresServerLog(path, Files.size(path));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** Every entry appended since {@link #mark()}, up to a marker written now (see the class comment). */
    public List<Entry> entriesSinceMark() {
        String marker = "ghostrooms-log-marker-" + UUID.randomUUID();
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement()) {
            st.execute("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the log marker", e);
        }
        long deadline = System.nanoTime() + MARKER_WAIT.toNanos();
        while (true) {
            String appended = appended();
            int at = appended.indexOf(marker);
            if (at >= 0) {
                return entries(appended.substring(0, appended.lastIndexOf('\n', at) + 1));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the marker written with RAISE LOG did not reach " + path + " within "
                        + MARKER_WAIT.toSeconds() + " s: is it this server's log (log_destination=stderr)?");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The text after the mark (all of it when the file was rotated or truncated since). */
    private String appended() {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long length = file.length();
            long from = length < start ? 0 : start;
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    static List<Entry> entries(String text) {
        List<Entry> entries = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (current != null && CONTINUATION.matcher(line).lookingAt()) {
                current.append('\n').append(line);
                continue;
            }
            if (current != null) {
                entries.add(entry(current.toString()));
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            entries.add(entry(current.toString()));
        }
        return entries;
    }

    private static Entry entry(String text) {
        String first = text.lines().findFirst().orElse("");
        Matcher pid = PID.matcher(first);
        Matcher severity = SEVERITY.matcher(first);
        return new Entry(text, pid.find() ? Integer.parseInt(pid.group(1)) : -1,
                severity.find() ? severity.group(1) : "");
    }
}
