package io.ghostrooms.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnePortTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void socketIoHandshakeAnswersOnTheRestPort() throws Exception {
        HttpResponse<String> res = server.get("/socket.io/?EIO=4&transport=polling");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().startsWith("0{"), res.body());
        assertTrue(res.body().contains("\"sid\""), res.body());
    }

    @Test
    void healthAnswersOnTheSamePort() throws Exception {
        HttpResponse<String> res = server.get("/health");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("\"status\":\"ok\""), res.body());
        assertTrue(res.body().contains("\"service\":\"GhostRooms Backend\""), res.body());
    }

    @Test
    void apiHealthAnswersToo() throws Exception {
        assertEquals(200, server.get("/api/health").statusCode());
    }

    /**
     * A keep-alive REST connection in use is not cut by the 10 s first-data timeout (it was: its
     * requests never reached netty-socketio's handler that cancels it).
     */
    @Test
    void keepAliveRestConnectionOutlivesTheFirstDataTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.url("").replaceAll(".*:", "")))) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(11_500);
            int requests = 0;
            while (System.nanoTime() < end || requests < 2) {
                out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = in.readLine();
                assertTrue(status != null && status.contains(" 200 "), "request " + requests + ": " + status);
                int length = 0;
                for (String h; !(h = in.readLine()).isEmpty(); ) {
                    if (h.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                char[] body = new char[length]; // ASCII JSON: chars == bytes
                for (int read = 0; read < length; ) {
                    read += in.read(body, read, length - read);
                }
                requests++;
                Thread.sleep(2_000);
            }
        }
    }
}
