package io.ghostrooms.server.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.server.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HttpFileStore and the upload path against a real HTTP file server (nginx WebDAV). */
class HttpFileStoreTest {
    static NginxDav nginx;

    @BeforeAll
    static void start() throws Exception {
        nginx = NginxDav.start();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void putOpenAndDeleteRoundTrip() throws Exception {
        HttpFileStore store = new HttpFileStore(URI.create(nginx.url()), "http://public.example");
        String name = UUID.randomUUID() + ".txt";
        Path source = Files.createTempFile("gr", ".txt");
        Files.writeString(source, "hello file server");
        store.put(name, source, "text/plain");
        assertTrue(Files.exists(nginx.data.resolve(name)));
        try (InputStream in = store.open(name)) {
            assertEquals("hello file server", new String(in.readAllBytes()));
        }
        assertEquals("http://public.example/api/files/" + name, store.urlOf(name));
        store.delete(name);
        assertFalse(Files.exists(nginx.data.resolve(name)));
        assertNull(store.open(name));
    }

    @Test
    void namesThatAreNotGeneratedNeverReachTheFileServer() {
        HttpFileStore store = new HttpFileStore(URI.create(nginx.url()), "http://public.example");
        assertThrows(java.io.IOException.class, () -> store.put("../../etc/passwd", Path.of("/dev/null"), "text/plain"));
    }

    @Test
    void unreachableFileServerFailsTheUploadWithoutLeftovers() throws Exception {
        int deadPort = TestServer.freePort();
        try (TestServer server = new TestServer(Map.of("FILE_SERVER_URL", "http://127.0.0.1:" + deadPort + "/"))) {
            HttpResponse<String> res = upload(server, "dot.png", UploadApiTest.PNG);
            assertEquals(503, res.statusCode(), res.body());
            assertTrue(res.body().contains("STORAGE_UNAVAILABLE"), res.body());
            assertFalse(res.body().contains("127.0.0.1"), "no internal address in the answer");
        }
    }

    @Test
    void uploadIsStoredOnTheFileServerAndServedThroughUs() throws Exception {
        try (TestServer server = new TestServer(Map.of("FILE_SERVER_URL", nginx.url()))) {
            HttpResponse<String> res = upload(server, "dot.png", UploadApiTest.PNG);
            assertEquals(201, res.statusCode(), res.body());
            JsonNode attachment = new ObjectMapper().readTree(res.body()).get("attachment");
            String url = attachment.get("url").asText();
            String name = url.substring(url.lastIndexOf('/') + 1);
            assertArrayEquals(UploadApiTest.PNG, Files.readAllBytes(nginx.data.resolve(name)));
            HttpResponse<byte[]> served = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url("/api/files/" + name))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            assertArrayEquals(UploadApiTest.PNG, served.body());
        }
    }

    static HttpResponse<String> upload(TestServer server, String fileName, byte[] content) throws Exception {
        TestServer previous = UploadApiTest.server;
        UploadApiTest.server = server;
        try {
            return UploadApiTest.upload(fileName, content);
        } finally {
            UploadApiTest.server = previous;
        }
    }
}
