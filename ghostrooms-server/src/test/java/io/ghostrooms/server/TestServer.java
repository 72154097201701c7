package io.ghostrooms.server;

import io.ghostrooms.server.config.Config;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The real server, in process, on a free port, for HTTP-level tests. */
public final class TestServer implements AutoCloseable {
    private final GhostRoomsServer server;
    private final int port;
    private final java.nio.file.Path uploadDir;
    private final java.nio.file.Path uploadPath;
    private final HttpClient http = HttpClient.newHttpClient();

    public TestServer(Map<String, String> env) throws IOException {
        this.port = freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("PORT", Integer.toString(port));
        this.uploadDir = all.containsKey("UPLOAD_DIR") ? null : Files.createTempDirectory("gr-test-uploads");
        if (uploadDir != null) {
            all.put("UPLOAD_DIR", uploadDir.toString());
        }
        this.uploadPath = java.nio.file.Path.of(all.get("UPLOAD_DIR"));
        this.server = new GhostRoomsServer(Config.from(all));
        server.start();
    }

    public TestServer() throws IOException {
        this(Map.of());
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Where this server's local file store keeps uploads. */
    public java.nio.file.Path uploadDir() {
        return uploadPath;
    }

    public GhostRoomsServer server() {
        return server;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), all);
    }

    /** Sends raw bytes (for requests java.net.http refuses to build) and returns the raw response. */
    public String raw(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
        if (uploadDir != null) {
            try (var files = Files.walk(uploadDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
