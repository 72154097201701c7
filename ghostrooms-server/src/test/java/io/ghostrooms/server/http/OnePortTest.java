package io.ghostrooms.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.server.TestServer;
import java.net.http.HttpResponse;
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
}
