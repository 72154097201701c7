package io.ghostrooms.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of the REST API (resource {@code openapi.json}), served at
 * GET /api/openapi.json. Read and checked once, when the server is built: a missing or unparseable
 * document stops startup instead of answering 500s later. Served as the bytes in the jar.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "/openapi.json";

    private OpenApiDocument() {
    }

    /** The document's bytes; throws if the resource is missing, not JSON, or not an OpenAPI 3.1 document. */
    public static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            JsonNode doc = new ObjectMapper().readTree(bytes);
            if (doc == null || !doc.path("openapi").asText().startsWith("3.1.") || !doc.path("paths").isObject()) {
                throw new IllegalStateException("resource " + RESOURCE + " is not an OpenAPI 3.1 document");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("resource " + RESOURCE + " could not be read", e);
        }
    }
}
