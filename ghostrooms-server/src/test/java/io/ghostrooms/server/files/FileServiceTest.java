package io.ghostrooms.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.protocol.rest.UploadResponse;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.MovableClock;
import io.ghostrooms.server.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Privacy jobs of the file service against a real embedded database and a real directory. */
class FileServiceTest {
    private static final String PUBLIC_URL = "http://localhost:3000";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private Path dir;
    private Database database;
    private LocalFileStore store;
    private UploadRegistry registry;
    private UploadService uploads;
    private FileService files;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("gr-files");
        Config config = Config.from(Map.of("UPLOAD_DIR", dir.toString()));
        database = Database.open(config.database(), 2);
        store = new LocalFileStore(dir, PUBLIC_URL);
        registry = new UploadRegistry();
        uploads = new UploadService(database, store, registry, config, clock, RateLimits.from(config).uploads());
        files = new FileService(database, store, registry, clock, Runnable::run);
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private UploadResponse uploadPng() throws Exception {
        Path received = Files.createTempFile("gr-test-", ".part");
        Files.write(received, UploadApiTest.PNG);
        return uploads.store(received, "dot.png");
    }

    private static String storedName(UploadResponse upload) {
        String url = upload.attachment().url();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void anUploadNoMessageClaimedWithinAnHourIsDeletedWithItsFile() throws Exception {
        UploadResponse upload = uploadPng();
        clock.advance(Duration.ofMinutes(61));
        assertEquals(1, files.deleteUnclaimedUploads());
        assertFalse(Files.exists(dir.resolve(storedName(upload))));
        assertEquals(null, registry.claim(upload.attachment().id(), upload.attachment().url()));
    }

    @Test
    void anUnclaimedUploadYoungerThanAnHourIsKept() throws Exception {
        UploadResponse upload = uploadPng();
        clock.advance(Duration.ofMinutes(59));
        assertEquals(0, files.deleteUnclaimedUploads());
        assertTrue(Files.exists(dir.resolve(storedName(upload))));
    }

    @Test
    void theStartupSweepDeletesFilesNoAttachmentKnowsAndKeepsTheOthers() throws Exception {
        UploadResponse known = uploadPng();
        Path orphan = dir.resolve("0b7f3f9e-6a53-4a6e-9a52-4c8d2f1e0a11.png");
        Files.write(orphan, UploadApiTest.PNG);
        assertEquals(1, files.sweepOrphans());
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(dir.resolve(storedName(known))));
    }
}
