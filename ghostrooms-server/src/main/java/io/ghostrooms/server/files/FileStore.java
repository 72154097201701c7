package io.ghostrooms.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/** Where uploaded bytes live: a local directory or a DUFS-compatible HTTP file server. */
public interface FileStore {
    /** Stores the file under the generated name; no partial file remains if this throws. */
    void put(String storedName, Path source, String contentType) throws IOException;

    /** The bytes, or null when there is no such file. Only stores served by this server answer. */
    InputStream open(String storedName) throws IOException;

    /** Deletes the file if present; failures are logged, never thrown. */
    void delete(String storedName);

    /** Names currently stored, for the startup sweep of orphans; empty if the store cannot list. */
    Set<String> list() throws IOException;

    /** The URL clients load the file from. */
    String urlOf(String storedName);
}
