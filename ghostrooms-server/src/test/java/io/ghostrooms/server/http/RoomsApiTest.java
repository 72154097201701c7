package io.ghostrooms.server.http;

import static io.ghostrooms.server.http.RestBadInputTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoomsApiTest {
    static TestServer server;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("RATE_LIMIT_ROOM_CREATE_PER_HOUR", "1000"));
        RestBadInputTest.server = server;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode data(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).get("data");
    }

    static String createRoom(String body) throws Exception {
        HttpResponse<String> res = server.post("/api/rooms", body);
        assertEquals(201, res.statusCode(), res.body());
        return data(res).get("token").asText();
    }

    @Test
    void createdRoomHasTokenFormatAndExpiry() throws Exception {
        HttpResponse<String> res = server.post("/api/rooms", "{}");
        assertEquals(201, res.statusCode());
        JsonNode data = data(res);
        assertTrue(data.get("token").asText().matches("ghost-[a-z0-9]{8}"), res.body());
        assertTrue(data.get("expiresAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(!data.has("name"), "absent name is omitted");
    }

    @Test
    void roomInfoShowsParticipantsAfterJoin() throws Exception {
        String token = createRoom("{\"name\":\"Lobby\"}");
        assertEquals(201, server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"alice\"}").statusCode());
        JsonNode info = data(server.get("/api/rooms/" + token));
        assertEquals(1, info.get("participantCount").asInt());
        assertEquals("Lobby", info.get("name").asText());
        assertEquals(false, info.get("isPublic").asBoolean());
    }

    @Test
    void joinReturnsA32CharSessionToken() throws Exception {
        String token = createRoom("{}");
        JsonNode joined = data(server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"  bob  \"}"));
        assertTrue(joined.get("sessionToken").asText().matches("[A-Za-z0-9]{32}"));
        assertEquals("bob", joined.get("nickname").asText());
        assertEquals(token, joined.get("roomToken").asText());
    }

    @Test
    void nicknamesAreUniqueCaseInsensitively() throws Exception {
        String token = createRoom("{}");
        server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"Carol\"}");
        assertError(server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"carol\"}"), 409, "NICKNAME_IN_USE");
    }

    @Test
    void missingNicknameIsRefused() throws Exception {
        String token = createRoom("{}");
        assertError(server.post("/api/rooms/" + token + "/join", "{}"), 400, "MISSING_NICKNAME");
    }

    @Test
    void nicknameWithForbiddenCharactersIsRefused() throws Exception {
        String token = createRoom("{}");
        assertError(server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"<script>\"}"), 400, "INVALID_NICKNAME");
    }

    @Test
    void dmRoomHoldsTwoAndIsDeterministic() throws Exception {
        String first = createRoom("{\"isDM\":true,\"name\":\"a1b2c3d4e5\"}");
        assertEquals("ghost-dm-a1b2c3", first);
        assertEquals(first, createRoom("{\"isDM\":true,\"name\":\"a1b2c3d4e5\"}"));
        server.post("/api/rooms/" + first + "/join", "{\"nickname\":\"one\"}");
        server.post("/api/rooms/" + first + "/join", "{\"nickname\":\"two\"}");
        assertError(server.post("/api/rooms/" + first + "/join", "{\"nickname\":\"three\"}"), 403, "ROOM_FULL");
        assertError(server.get("/api/rooms/" + first + "/validate"), 403, "ROOM_FULL");
    }

    @Test
    void publicListShowsOnlyPublicRooms() throws Exception {
        String pub = createRoom("{\"isPublic\":true,\"name\":\"Open\"}");
        String priv = createRoom("{\"name\":\"Closed\"}");
        String list = server.get("/api/rooms/public").body();
        assertTrue(list.contains(pub));
        assertTrue(!list.contains(priv));
    }

    @Test
    void unknownRoomIsNotFound() throws Exception {
        assertError(server.get("/api/rooms/ghost-zzzzzzzz"), 404, "ROOM_NOT_FOUND");
    }

    @Test
    void expiredRoomIsGone() throws Exception {
        String token = createRoom("{\"ttlHours\":0.0001}");
        Thread.sleep(600);
        assertError(server.get("/api/rooms/" + token), 410, "ROOM_EXPIRED");
        assertError(server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"late\"}"), 410, "ROOM_EXPIRED");
    }

    @Test
    void historyNeedsASessionOfThatRoom() throws Exception {
        String a = createRoom("{}");
        String b = createRoom("{}");
        String session = data(server.post("/api/rooms/" + a + "/join", "{\"nickname\":\"dave\"}")).get("sessionToken").asText();
        assertEquals(200, server.get("/api/messages/" + a, "Authorization", "Bearer " + session).statusCode());
        assertError(server.get("/api/messages/" + b, "Authorization", "Bearer " + session), 403, "FORBIDDEN");
        assertError(server.get("/api/messages/" + a + "?limit=500", "Authorization", "Bearer " + session), 400, "INVALID_REQUEST");
        assertError(server.get("/api/messages/" + a + "?before=yesterday", "Authorization", "Bearer " + session), 400,
                "INVALID_REQUEST");
    }

    @Test
    void roomCreationIsRateLimitedPerIp() throws Exception {
        try (TestServer limited = new TestServer(Map.of("RATE_LIMIT_ROOM_CREATE_PER_HOUR", "2"))) {
            assertEquals(201, limited.post("/api/rooms", "{}").statusCode());
            assertEquals(201, limited.post("/api/rooms", "{}").statusCode());
            HttpResponse<String> third = limited.post("/api/rooms", "{}");
            assertEquals(429, third.statusCode());
            JsonNode error = JSON.readTree(third.body()).get("error");
            assertEquals("RATE_LIMIT_EXCEEDED", error.get("code").asText());
            assertTrue(error.get("retryAfter").asLong() > 0);
        }
    }
}
