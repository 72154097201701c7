package io.ghostrooms.server.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UploadApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    static TestServer server;
    static Path uploadDir;

    @BeforeAll
    static void start() throws Exception {
        uploadDir = Files.createTempDirectory("gr-upload-test");
        server = new TestServer(Map.of("UPLOAD_DIR", uploadDir.toString(), "MAX_FILE_SIZE_MB", "1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> upload(String fileName, byte[] content) throws Exception {
        String boundary = "----gr" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send("POST", "/api/files/upload", body.toByteArray(), "Content-Type",
                "multipart/form-data; boundary=" + boundary);
    }

    static String code(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).get("error").get("code").asText();
    }

    @Test
    void pngUploadReturnsAnImageAttachmentServedByteIdentical() throws Exception {
        HttpResponse<String> res = upload("dot.png", PNG);
        assertEquals(201, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("IMAGE", body.get("messageType").asText());
        JsonNode attachment = body.get("attachment");
        assertEquals("dot.png", attachment.get("fileName").asText());
        assertEquals("image/png", attachment.get("mimeType").asText());
        assertEquals(PNG.length, attachment.get("fileSize").asLong());
        String url = attachment.get("url").asText();
        String storedName = url.substring(url.lastIndexOf('/') + 1);
        assertTrue(storedName.matches("[a-f0-9-]{36}\\.png"), url);
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url("/api/files/" + storedName))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, file.statusCode());
        assertArrayEquals(PNG, file.body());
        assertEquals("image/png", file.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", file.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void pdfIsAFileServedAsAttachment() throws Exception {
        HttpResponse<String> res = upload("report.pdf", "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(201, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("FILE", body.get("messageType").asText());
        String url = body.get("attachment").get("url").asText();
        HttpResponse<String> file = server.get(url.substring(url.indexOf("/api/")));
        assertTrue(file.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
    }

    @Test
    void pathInFileNameIsRefused() throws Exception {
        HttpResponse<String> res = upload("../../x.png", PNG);
        assertEquals(400, res.statusCode(), res.body());
        assertEquals("INVALID_FILE_TYPE", code(res));
    }

    @Test
    void executableNamedPngIsRefused() throws Exception {
        byte[] elf = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        HttpResponse<String> res = upload("photo.png", elf);
        assertEquals(400, res.statusCode());
        assertEquals("INVALID_FILE_TYPE", code(res));
    }

    @Test
    void disallowedExtensionIsRefused() throws Exception {
        HttpResponse<String> res = upload("run.exe", new byte[]{'M', 'Z', 0, 0});
        assertEquals(400, res.statusCode());
        assertEquals("INVALID_FILE_TYPE", code(res));
    }

    @Test
    void missingFileFieldIsNoFile() throws Exception {
        HttpResponse<String> res = server.send("POST", "/api/files/upload", "{}".getBytes(), "Content-Type", "application/json");
        assertEquals(400, res.statusCode());
        assertEquals("NO_FILE", code(res));
    }

    @Test
    void declaredHugeUploadIsRefusedWith413BeforeTheBodyIsRead() throws Exception {
        String res = server.raw("POST /api/files/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: 209715200\r\n\r\n--b\r\n");
        assertTrue(res.startsWith("HTTP/1.1 413"), res);
        assertTrue(res.contains("\"code\":\"FILE_TOO_LARGE\""), res);
    }

    @Test
    void fileOverTheLimitIsRefused() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        HttpResponse<String> res = upload("big.png", big);
        assertEquals(413, res.statusCode());
        assertEquals("FILE_TOO_LARGE", code(res));
        try (var files = Files.list(uploadDir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "no partial file remains");
        }
    }

    /**
     * A 200 MB body without a declared length (chunked) is counted while it streams: the server
     * answers 413 after about the limit and never holds the body in memory.
     */
    @Test
    void a200MbChunkedUploadIsRefusedWith413WhileTheHeapStaysSmall() throws Exception {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long peak = before;
        long sent = 0;
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/files/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: multipart/form-data; boundary=big\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = ("--big\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(head.length + PNG.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(PNG);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                while (sent < 200L * 1024 * 1024) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                }
            } catch (java.io.IOException closedByTheServer) {
                // expected: the server stops reading once it has refused the upload
            }
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", response);
        }
        assertTrue(sent < 200L * 1024 * 1024, "the server closed the connection instead of reading 200 MB");
        assertTrue(peak - before < 64L * 1024 * 1024, "heap grew by " + (peak - before) / 1024 / 1024 + " MB");
    }

    /** netty-socketio closes connections whose first request has not reached it within 10 s. */
    @Test
    void anUploadSlowerThanTheFirstDataTimeoutCompletes() throws Exception {
        String boundary = "slow";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.png\""
                + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        int length = head.length + PNG.length + tail.length;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/files/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                    + "multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.flush();
            for (int i = 0; i < PNG.length; i++) {
                Thread.sleep(160);
                out.write(PNG[i]);
                out.flush();
            }
            out.write(tail);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
        }
    }

    @Test
    void unknownStoredFileIsNotFound() throws Exception {
        assertEquals(404, server.get("/api/files/00000000-0000-0000-0000-000000000000.png").statusCode());
        assertEquals(404, server.get("/api/files/..%2f..%2fetc%2fpasswd").statusCode());
    }
}
