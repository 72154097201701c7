package io.ghostrooms.server;

import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.config.ConfigException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.load(System.getenv(), Path.of(".env"));
        } catch (ConfigException e) {
            System.err.println("GhostRooms cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        GhostRoomsServer server;
        try {
            server = new GhostRoomsServer(config);
            server.start();
        } catch (Exception e) {
            System.err.println("GhostRooms cannot start: " + io.ghostrooms.server.common.Failures.describe(e)
                    + (io.ghostrooms.server.common.Failures.isDatabaseUnavailable(e) ? " (database unreachable)" : ""));
            System.exit(1);
            return;
        }
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
