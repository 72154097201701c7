package io.ghostrooms.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each bad request gets a clear 4xx envelope, and the server keeps serving. */
class RestBadInputTest {
    static TestServer server;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertError(HttpResponse<String> res, int status, String code) throws Exception {
        assertEquals(status, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertFalse(body.get("success").asBoolean());
        assertEquals(code, body.get("error").get("code").asText(), res.body());
        assertFalse(res.body().contains("Exception"), res.body());
        assertFalse(res.body().contains("SELECT"), res.body());
        assertEquals(200, server.get("/health").statusCode(), "server must keep serving");
    }

    @Test
    void malformedJsonIsInvalidRoom() throws Exception {
        assertError(server.post("/api/rooms", "{\"ttlHours\": "), 400, "INVALID_ROOM");
    }

    @Test
    void ttlOfWrongTypeIsInvalidRoom() throws Exception {
        assertError(server.post("/api/rooms", "{\"ttlHours\": \"24\"}"), 400, "INVALID_ROOM");
    }

    @Test
    void negativeTtlIsInvalidRoom() throws Exception {
        assertError(server.post("/api/rooms", "{\"ttlHours\": -1}"), 400, "INVALID_ROOM");
    }

    @Test
    void arrayBodyIsInvalidRoom() throws Exception {
        assertError(server.post("/api/rooms", "[1,2,3]"), 400, "INVALID_ROOM");
    }

    @Test
    void overlongRoomNameIsInvalidRoom() throws Exception {
        assertError(server.post("/api/rooms", "{\"name\": \"" + "x".repeat(101) + "\"}"), 400, "INVALID_ROOM");
    }

    @Test
    void nonUtf8BodyIsRefused() throws Exception {
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertError(server.send("POST", "/api/rooms", body, "Content-Type", "application/json"), 400, "INVALID_ROOM");
    }

    @Test
    void oversizedBodyIsPayloadTooLarge() throws Exception {
        byte[] body = ("{\"name\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> res = server.send("POST", "/api/rooms", body, "Content-Type", "application/json");
        assertError(res, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void wrongMethodIsMethodNotAllowed() throws Exception {
        assertError(server.send("DELETE", "/api/rooms", null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void pathTraversalFindsNoRoom() throws Exception {
        assertError(server.get("/api/rooms/..%2f..%2fetc%2fpasswd"), 404, "ROOM_NOT_FOUND");
    }

    @Test
    void badPercentEncodingIsInvalidRequest() throws Exception {
        String res = server.raw("GET /api/rooms/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("\"code\":\"INVALID_REQUEST\""), res);
    }

    @Test
    void unknownApiPathIsNotFound() throws Exception {
        assertError(server.get("/api/nothing/here"), 404, "NOT_FOUND");
    }

    @Test
    void missingBearerIsUnauthorized() throws Exception {
        assertError(server.get("/api/messages/ghost-abcdefgh"), 401, "UNAUTHORIZED");
    }

    @Test
    void unknownBearerIsUnauthorized() throws Exception {
        assertError(server.get("/api/messages/ghost-abcdefgh", "Authorization", "Bearer " + "A".repeat(32)), 401,
                "UNAUTHORIZED");
    }

    @Test
    void foreignOriginIsRefusedWhenOriginsAreListed() throws Exception {
        try (TestServer strict = new TestServer(java.util.Map.of("CORS_ORIGIN", "https://chat.example"))) {
            HttpResponse<String> refused = strict.get("/api/rooms/public", "Origin", "https://evil.example");
            assertEquals(403, refused.statusCode());
            HttpResponse<String> allowed = strict.get("/api/rooms/public", "Origin", "https://chat.example");
            assertEquals(200, allowed.statusCode());
            assertEquals("https://chat.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            HttpResponse<String> socket = strict.get("/socket.io/?EIO=4&transport=polling", "Origin", "https://evil.example");
            assertEquals(403, socket.statusCode());
        }
    }

    @Test
    void preflightIsAnswered() throws Exception {
        HttpResponse<String> res = server.send("OPTIONS", "/api/rooms", null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST");
        assertEquals(204, res.statusCode());
        assertEquals("https://app.example", res.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
}
