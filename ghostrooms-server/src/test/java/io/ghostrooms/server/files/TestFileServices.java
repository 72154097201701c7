package io.ghostrooms.server.files;

import io.ghostrooms.persistence.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A FileService on a fresh local directory, deleting in the caller's thread: for service tests. */
public final class TestFileServices {
    private TestFileServices() {
    }

    public static FileService inTempDirectory(Database database, Clock clock) {
        try {
            Path dir = Files.createTempDirectory("gr-files");
            dir.toFile().deleteOnExit();
            return new FileService(database, new LocalFileStore(dir, "http://localhost:3000"), new UploadRegistry(), clock,
                    Runnable::run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
