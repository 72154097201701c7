package io.ghostrooms.server.config;

import io.ghostrooms.persistence.DatabaseUrl;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the server, read and validated once at startup from the environment and an
 * optional {@code .env} file (the environment wins). A bad value throws {@link ConfigException}
 * naming the variable.
 */
public record Config(
        int port,
        DatabaseUrl database,
        List<String> corsOrigins,
        URI fileServerUrl,
        String publicUrl,
        Path uploadDir,
        double roomTtlHours,
        int roomMaxCapacity,
        int rateLimitMessagesPerMinute,
        int rateLimitRoomCreatePerHour,
        int rateLimitUploadsPerHour,
        int rateLimitLookupsPerMinute,
        int rateLimitSocketEventsPerMinute,
        int maxConnectionsPerIp,
        int maxMessageLength,
        int maxFileSizeMb,
        int maxHttpBodyKb,
        int workerThreads,
        int dbPoolSize,
        Duration sessionIdleTimeout,
        Duration cleanupInterval,
        boolean persistMessages,
        int metricsPort,
        boolean metricsPublic,
        LogFormat logFormat) {

    /** How log lines are written: for people (text) or one JSON object per line for a log pipeline. */
    public enum LogFormat { TEXT, JSON }

    public static final String VERSION = "0.1.0";

    public static Config load(Map<String, String> environment, Path dotEnvFile) {
        Map<String, String> values = new HashMap<>(readDotEnv(dotEnvFile));
        values.putAll(environment);
        return from(values);
    }

    public static Config from(Map<String, String> env) {
        Reader r = new Reader(env);
        int port = r.integer("PORT", 3000, 0, 65535);
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(env.get("DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<String> cors = Arrays.stream(r.string("CORS_ORIGIN", "*").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (cors.isEmpty()) {
            throw new ConfigException("CORS_ORIGIN must list at least one origin or be *");
        }
        URI fileServer = r.url("FILE_SERVER_URL");
        String publicUrl = stripSlash(r.string("PUBLIC_URL", "http://localhost:" + port));
        if (r.url("PUBLIC_URL") == null && env.get("PUBLIC_URL") != null && !env.get("PUBLIC_URL").isBlank()) {
            throw new ConfigException("PUBLIC_URL must be an http(s) URL");
        }
        Path uploadDir = Path.of(r.string("UPLOAD_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "ghostrooms-uploads-" + port).toString()));
        double ttl = r.decimal("ROOM_TTL_HOURS", 24, 0.0001, 24 * 30);
        return new Config(
                port,
                database,
                cors,
                fileServer,
                publicUrl,
                uploadDir,
                ttl,
                r.integer("ROOM_MAX_CAPACITY", 50, 2, 10_000),
                r.integer("RATE_LIMIT_MESSAGES_PER_MINUTE", 10, 1, 1_000_000),
                r.integer("RATE_LIMIT_ROOM_CREATE_PER_HOUR", 20, 1, 1_000_000),
                r.integer("RATE_LIMIT_UPLOADS_PER_HOUR", 60, 1, 1_000_000),
                r.integer("RATE_LIMIT_LOOKUPS_PER_MINUTE", 120, 1, 1_000_000),
                r.integer("RATE_LIMIT_SOCKET_EVENTS_PER_MINUTE", 600, 1, 10_000_000),
                r.integer("MAX_CONNECTIONS_PER_IP", 200, 1, 1_000_000),
                r.integer("MAX_MESSAGE_LENGTH", 2000, 1, 100_000),
                r.integer("MAX_FILE_SIZE_MB", 10, 1, 2048),
                r.integer("MAX_HTTP_BODY_KB", 64, 1, 10_240),
                r.integer("WORKER_THREADS", 16, 1, 512),
                r.integer("DB_POOL_SIZE", 10, 1, 200),
                Duration.ofMinutes(r.integer("SESSION_IDLE_MINUTES", 30, 1, 24 * 60)),
                Duration.ofSeconds(r.integer("CLEANUP_INTERVAL_SECONDS", 600, 1, 86_400)),
                persistMessages(r.string("MESSAGE_PERSISTENCE", "database")),
                r.integer("METRICS_PORT", 0, 0, 65535),
                r.bool("METRICS_PUBLIC", false),
                logFormat(r.string("LOG_FORMAT", "text")));
    }

    /** "off" exists to measure the in-memory ceiling in benchmarks; messages are then never stored. */
    private static boolean persistMessages(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "database" -> true;
            case "off" -> false;
            default -> throw new ConfigException("MESSAGE_PERSISTENCE must be database or off");
        };
    }

    private static LogFormat logFormat(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new ConfigException("LOG_FORMAT must be text or json");
        };
    }

    /** /metrics on its own port (METRICS_PORT), or on PORT when that is 0 (unset). */
    public boolean metricsOnOwnPort() {
        return metricsPort != 0;
    }

    public long maxFileSizeBytes() {
        return maxFileSizeMb * 1024L * 1024L;
    }

    public Duration roomTtl() {
        return Duration.ofMillis(Math.round(roomTtlHours * 3_600_000d));
    }

    public boolean allowsAnyOrigin() {
        return corsOrigins.contains("*");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Map<String, String> readDotEnv(Path file) {
        Map<String, String> values = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return values;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(".env could not be read");
        }
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).trim();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(key, value);
        }
        return values;
    }

    /** Reads typed values; messages name the variable but never echo its value (it may be a secret). */
    private record Reader(Map<String, String> env) {
        String string(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback, int min, int max) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(v.trim());
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name + " must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a whole number");
            }
        }

        double decimal(String name, double fallback, double min, double max) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                double parsed = Double.parseDouble(v.trim());
                if (!(parsed >= min && parsed <= max)) {
                    throw new ConfigException(name + " must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a number");
            }
        }

        boolean bool(String name, boolean fallback) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new ConfigException(name + " must be true or false");
            };
        }

        URI url(String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            try {
                URI uri = URI.create(v.trim());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(name + " must be an http(s) URL");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + " must be an http(s) URL");
            }
        }
    }
}
