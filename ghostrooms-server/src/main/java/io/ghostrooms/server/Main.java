package io.ghostrooms.server;

import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.config.ConfigException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Main {
    /**
     * Read by logback.xml, which includes {@code logback-<value>.xml} (the appender of that format).
     * Set here, from LOG_FORMAT via Config, before the first logger is created: logback configures
     * itself once, on that first call, so every line (the very first ones too) has the format.
     * Hence no static Logger field in this class.
     */
    public static final String LOG_FORMAT_PROPERTY = "ghostrooms.logFormat";

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.load(System.getenv(), Path.of(".env"));
        } catch (ConfigException e) {
            // No valid configuration, so no log format either: a plain line, as always.
            System.err.println("GhostRooms cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty(LOG_FORMAT_PROPERTY, config.logFormat().name().toLowerCase(Locale.ROOT));
        Logger log = LoggerFactory.getLogger(Main.class);
        GhostRoomsServer server;
        try {
            server = new GhostRoomsServer(config);
            server.start();
        } catch (Exception e) {
            String reason = Failures.describe(e) + (Failures.isDatabaseUnavailable(e) ? " (database unreachable)" : "");
            if (config.logFormat() == Config.LogFormat.JSON) {
                // A log pipeline reading JSON lines sees why, as one of them.
                log.error("GhostRooms cannot start: {}", reason);
            } else {
                System.err.println("GhostRooms cannot start: " + reason);
            }
            System.exit(1);
            return;
        }
        // Settings only, never a URL (DATABASE_URL may hold a password), a token or an address.
        log.debug("settings: workers {}, db pool {}, room ttl {} h, room capacity {}, max message {} chars, "
                        + "max file {} MB, log format {}", config.workerThreads(), config.dbPoolSize(),
                config.roomTtlHours(), config.roomMaxCapacity(), config.maxMessageLength(), config.maxFileSizeMb(),
                config.logFormat());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
            log.info("stopped");
            // A JVM ended by SIGTERM exits 143 even after a clean shutdown; orchestrators read that
            // as a failure. Everything is closed at this point, so say so with 0.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
    }
}
