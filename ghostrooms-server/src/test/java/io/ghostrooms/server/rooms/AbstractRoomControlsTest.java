package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.server.RawSocket;
import io.ghostrooms.server.TestServer;
import io.ghostrooms.server.sessions.Tokens;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The owner's controls through the real server (REST, and members on real websockets speaking
 * Engine.IO 4), checked in the database itself and in the upload directory: close, extend, lock,
 * kick, passwords, the one FORBIDDEN answer, typing. Run on embedded H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRoomControlsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    static final Duration WAIT = Duration.ofSeconds(10);

    TestServer server;
    Database db;
    private final List<RawSocket> sockets = new ArrayList<>();

    /** DATABASE_URL (and anything else) for the server under test; empty for embedded H2. */
    abstract Map<String, String> databaseEnv();

    /** Called after the server closed. */
    void afterServer() {
    }

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = new HashMap<>(databaseEnv());
        env.put("RATE_LIMIT_ROOM_CREATE_PER_HOUR", "100000");
        env.put("RATE_LIMIT_LOOKUPS_PER_MINUTE", "100000");
        env.put("RATE_LIMIT_MESSAGES_PER_MINUTE", "1000");
        env.put("RATE_LIMIT_UPLOADS_PER_HOUR", "100000");
        server = new TestServer(env);
        db = server.server().database();
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(RawSocket::close);
        sockets.clear();
    }

    @AfterAll
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            afterServer();
        }
    }

    // ---------------------------------------------------------------- helpers

    record Created(String token, String ownerToken, JsonNode data) {
    }

    Created create(String body) throws Exception {
        HttpResponse<String> res = server.post("/api/rooms", body);
        assertEquals(201, res.statusCode(), res.body());
        JsonNode data = JSON.readTree(res.body()).get("data");
        return new Created(data.get("token").asText(), data.path("ownerToken").asText(null), data);
    }

    String join(String token, String nickname) throws Exception {
        HttpResponse<String> res = server.post("/api/rooms/" + token + "/join", "{\"nickname\":\"" + nickname + "\"}");
        assertEquals(201, res.statusCode(), res.body());
        return JSON.readTree(res.body()).get("data").get("sessionToken").asText();
    }

    RawSocket member(String token, String sessionToken) throws Exception {
        RawSocket socket = RawSocket.connect(server);
        sockets.add(socket);
        socket.join(token, sessionToken);
        return socket;
    }

    RawSocket socket() throws Exception {
        RawSocket socket = RawSocket.connect(server);
        sockets.add(socket);
        return socket;
    }

    HttpResponse<String> owner(String method, String path, String ownerToken, String body) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (ownerToken != null) {
            headers.add("Authorization");
            headers.add("Bearer " + ownerToken);
        }
        return server.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                headers.toArray(String[]::new));
    }

    static String code(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).get("error").get("code").asText();
    }

    static void assertError(HttpResponse<String> res, int status, String code) throws Exception {
        assertEquals(status, res.statusCode(), res.body());
        assertEquals(code, code(res), res.body());
    }

    long roomId(String token) {
        return db.dao(RoomDao.class).findByToken(token).orElseThrow().id();
    }

    int count(String sql, Object... args) {
        return db.jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Integer.class).one();
        });
    }

    HttpResponse<String> history(String token, String sessionToken) throws Exception {
        return server.get("/api/messages/" + token, "Authorization", "Bearer " + sessionToken);
    }

    JsonNode upload(String fileName, byte[] content) throws Exception {
        String boundary = "----gr" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> res = server.send("POST", "/api/files/upload", body.toByteArray(), "Content-Type",
                "multipart/form-data; boundary=" + boundary);
        assertEquals(201, res.statusCode(), res.body());
        return JSON.readTree(res.body()).get("attachment");
    }

    static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    // ---------------------------------------------------------------- create

    @Test
    void aRoomWithoutControlsAnswersAsBeforePlusItsOwnerToken() throws Exception {
        Created room = create("{\"name\":\"Plain\"}");
        assertTrue(room.ownerToken().matches("[A-Za-z0-9]{32}"), room.data().toString());
        JsonNode info = JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data");
        for (String flag : List.of("hasPassword", "locked", "vanishWhenEmpty")) {
            assertFalse(info.has(flag), flag + " is omitted when false: " + info);
        }
        var row = db.dao(RoomDao.class).findByToken(room.token()).orElseThrow();
        assertEquals(Tokens.hash(room.ownerToken()), row.ownerTokenHash(), "only the hash is stored");
        assertNull(row.passwordHash());
    }

    @Test
    void badControlValuesAreInvalidRoom() throws Exception {
        for (String body : List.of("{\"password\":\"abc\"}", "{\"password\":5}", "{\"password\":\"" + "x".repeat(129) + "\"}",
                "{\"password\":\"ab\\ud800cd\"}", "{\"vanishWhenEmpty\":\"yes\"}", "{\"vanishWhenEmpty\":1}",
                "{\"isDM\":true,\"name\":\"abcdef123\",\"password\":\"secret\"}",
                "{\"isDM\":true,\"name\":\"abcdef123\",\"vanishWhenEmpty\":true}")) {
            HttpResponse<String> res = server.post("/api/rooms", body);
            assertError(res, 400, "INVALID_ROOM");
            assertFalse(res.body().contains("secret") || res.body().contains("abc\""), res.body());
        }
    }

    // ---------------------------------------------------------------- close

    @Test
    void closeEndsTheRoomForItsMembersAndDeletesEveryRowAndFileAtOnce() throws Exception {
        Created room = create("{}");
        String alice = join(room.token(), "alice");
        String bob = join(room.token(), "bob");
        RawSocket a = member(room.token(), alice);
        JsonNode attachment = upload("dot.png", PNG);
        String url = attachment.get("url").asText();
        Path stored = server.uploadDir().resolve(url.substring(url.lastIndexOf('/') + 1));
        JsonNode sent = a.emitWithAck("send_message", Map.of("type", "IMAGE", "attachments", List.of(attachment)));
        assertTrue(sent.get("ok").asBoolean(), sent.toString());
        assertTrue(a.emitWithAck("send_message", Map.of("type", "TEXT", "content", "hi")).get("ok").asBoolean());
        long id = roomId(room.token());
        assertTrue(Files.exists(stored));
        assertEquals(2, count("SELECT COUNT(*) FROM sessions WHERE room_id = ?", id));

        HttpResponse<String> res = owner("DELETE", "/api/rooms/" + room.token(), room.ownerToken(), null);
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("{\"success\":true,\"message\":\"Room closed\"}", res.body());

        assertEquals("closed", a.await("room_closed").get("reason").asText());
        assertEquals(0, count("SELECT COUNT(*) FROM rooms WHERE id = ?", id));
        assertEquals(0, count("SELECT COUNT(*) FROM sessions WHERE room_id = ?", id));
        assertEquals(0, count("SELECT COUNT(*) FROM messages WHERE room_id = ?", id));
        assertEquals(0, count("SELECT COUNT(*) FROM attachments WHERE id = ?", attachment.get("id").asText()));
        assertFalse(Files.exists(stored), "the stored file is deleted before the answer");
        assertError(server.get("/api/rooms/" + room.token()), 404, "ROOM_NOT_FOUND");
        assertError(history(room.token(), bob), 401, "UNAUTHORIZED");
        assertError(server.get(new java.net.URI(url).getPath()), 404, "NOT_FOUND");
        // The former member is in no room: its heartbeat says the server ended its session.
        a.emit("heartbeat", null);
        assertEquals("SESSION_EXPIRED", a.await("error").get("code").asText());
        // A session created moments before (answered from memory until its first use) is refused too.
        RawSocket late = socket();
        late.emit("join_room", Map.of("roomToken", room.token(), "sessionToken", bob));
        assertEquals("INVALID_SESSION", late.await("error").get("code").asText());
        // Closing again: the room is unknown now, so the owner token matches nothing.
        assertError(owner("DELETE", "/api/rooms/" + room.token(), room.ownerToken(), null), 403, "FORBIDDEN");
    }

    // ---------------------------------------------------------------- extend

    @Test
    void anExtensionIsFollowedByTheDatabaseTheMembersAndEveryCopyInMemory() throws Exception {
        Created room = create("{\"ttlHours\":0.0015}"); // 5.4 s
        Instant oldEnd = Timestamps.parse(room.data().get("expiresAt").asText());
        RawSocket a = member(room.token(), join(room.token(), "alice"));
        String bob = join(room.token(), "bob"); // held in memory until its first use

        HttpResponse<String> res = owner("PATCH", "/api/rooms/" + room.token(), room.ownerToken(), "{\"ttlHours\":1}");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode info = JSON.readTree(res.body()).get("data");
        String expiresAt = info.get("expiresAt").asText();
        Instant newEnd = Timestamps.parse(expiresAt);
        assertTrue(Duration.between(Instant.now(), newEnd).toMinutes() >= 59, expiresAt);
        assertEquals(room.token(), info.get("token").asText());
        assertEquals(2, info.get("participantCount").asInt());

        assertEquals(expiresAt, a.await("room_ttl_extended").get("expiresAt").asText());
        assertEquals(newEnd, db.dao(RoomDao.class).findByToken(room.token()).orElseThrow().expiresAt());
        assertEquals(expiresAt, JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data")
                .get("expiresAt").asText(), "the live-room cache follows");

        RawSocket b = socket();
        b.join(room.token(), bob);
        Thread.sleep(300);
        assertEquals(List.of(), b.received("room_ttl_warning"), "bob's session carries the new expiry");

        sleepUntil(oldEnd.plusMillis(1500));
        JsonNode ack = a.emitWithAck("send_message", Map.of("type", "TEXT", "content", "after the old end"));
        assertTrue(ack.get("ok").asBoolean(), ack.toString());
        assertTrue(b.emitWithAck("send_message", Map.of("type", "TEXT", "content", "me too")).get("ok").asBoolean());
        a.emit("heartbeat", null);
        b.emit("heartbeat", null);
        Thread.sleep(300);
        assertEquals(List.of(), a.received("room_closed"));
        assertEquals(List.of(), a.received("error"));
        assertEquals(List.of(), b.received("error"));
        assertEquals(200, server.get("/api/rooms/" + room.token()).statusCode());
        assertEquals(1, count("SELECT COUNT(*) FROM rooms WHERE token = ?", room.token()));
    }

    /**
     * A timer set for the old end (here by a member's join, with the expiry then moved in the
     * database behind every in-memory copy's back) reads the stored expiry when it fires and does
     * not end the room.
     */
    @Test
    void aTimerSetForAnEndThatMovedLaterDoesNotEndTheRoom() throws Exception {
        Created room = create("{\"ttlHours\":0.0008}"); // 2.9 s
        Instant oldEnd = Timestamps.parse(room.data().get("expiresAt").asText());
        RawSocket a = member(room.token(), join(room.token(), "alice"));
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertEquals(1, db.dao(RoomDao.class).setExpiry(roomId(room.token()), later, Instant.now()));
        sleepUntil(oldEnd.plusMillis(1500));
        assertEquals(List.of(), a.received("room_closed"));
        assertEquals(1, count("SELECT COUNT(*) FROM rooms WHERE token = ?", room.token()));
        assertEquals(later, Timestamps.parse(JSON.readTree(server.get("/api/rooms/" + room.token()).body())
                .get("data").get("expiresAt").asText()));
    }

    @Test
    void badUpdatesAreInvalidRoomAndAnEndedRoomIsExpired() throws Exception {
        Created room = create("{}");
        String path = "/api/rooms/" + room.token();
        for (String body : List.of("{}", "{\"ttlHours\":0}", "{\"ttlHours\":-1}", "{\"ttlHours\":169}",
                "{\"ttlHours\":\"1\"}", "{\"locked\":\"yes\"}", "[]", "{\"locked\":true} x", "not json")) {
            assertError(owner("PATCH", path, room.ownerToken(), body), 400, "INVALID_ROOM");
        }
        Created ending = create("{\"ttlHours\":0.0003}"); // ~1 s
        sleepUntil(Timestamps.parse(ending.data().get("expiresAt").asText()).plusMillis(50));
        HttpResponse<String> late = owner("PATCH", "/api/rooms/" + ending.token(), ending.ownerToken(), "{\"ttlHours\":1}");
        assertTrue(late.statusCode() == 410 || late.statusCode() == 403, late.body()); // 403 once its row is gone
    }

    // ---------------------------------------------------------------- lock

    @Test
    void aLockedRoomRefusesNewJoinsAndKeepsItsMembers() throws Exception {
        Created room = create("{\"isPublic\":true,\"name\":\"Locked\"}");
        String alice = join(room.token(), "alice");
        RawSocket a = member(room.token(), alice);

        HttpResponse<String> res = owner("PATCH", "/api/rooms/" + room.token(), room.ownerToken(), "{\"locked\":true}");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(JSON.readTree(res.body()).get("data").get("locked").asBoolean());
        assertTrue(db.dao(RoomDao.class).findByToken(room.token()).orElseThrow().locked());
        assertTrue(JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data").get("locked").asBoolean());

        assertError(server.post("/api/rooms/" + room.token() + "/join", "{\"nickname\":\"carol\"}"), 403, "ROOM_LOCKED");
        assertError(server.get("/api/rooms/" + room.token() + "/validate"), 403, "ROOM_LOCKED");
        // The member stays, and a socket of its may come back with its session (a reconnect that
        // beat the old connection's timeout: a disconnect itself ends the session, as leave_room).
        assertTrue(a.emitWithAck("send_message", Map.of("type", "TEXT", "content", "still here")).get("ok").asBoolean());
        RawSocket again = socket();
        assertEquals(List.of("alice"), JSON.convertValue(again.join(room.token(), alice).get("participants"), List.class));

        res = owner("PATCH", "/api/rooms/" + room.token(), room.ownerToken(), "{\"locked\":false}");
        assertFalse(JSON.readTree(res.body()).get("data").has("locked"));
        join(room.token(), "carol");
    }

    // ---------------------------------------------------------------- kick

    @Test
    void aKickedMemberIsRemovedAndItsTokenRefusedEverywhere() throws Exception {
        Created room = create("{}");
        RawSocket a = member(room.token(), join(room.token(), "alice"));
        String bob = join(room.token(), "Bob");
        RawSocket b = member(room.token(), bob);
        a.await("user_joined");
        assertTrue(b.emitWithAck("send_message", Map.of("type", "TEXT", "content", "bye")).get("ok").asBoolean());
        long id = roomId(room.token());

        HttpResponse<String> res = owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(),
                "{\"nickname\":\"BOB\"}");
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("{\"success\":true,\"message\":\"Member removed\"}", res.body());

        assertEquals("removed", b.await("room_closed").get("reason").asText());
        JsonNode left = a.await("user_left");
        assertEquals("Bob", left.get("nickname").asText());
        assertEquals(1, left.get("participantCount").asInt());
        assertEquals(0, count("SELECT COUNT(*) FROM sessions WHERE room_id = ? AND nickname_key = ?", id, "bob"));
        assertEquals(1, count("SELECT COUNT(*) FROM sessions WHERE room_id = ?", id));
        assertEquals(1, count("SELECT COUNT(*) FROM messages WHERE room_id = ? AND session_id IS NULL", id),
                "its messages stay, without their session");

        b.emit("heartbeat", null);
        assertEquals("SESSION_EXPIRED", b.await("error").get("code").asText());
        JsonNode refused = b.emitWithAck("send_message", Map.of("type", "TEXT", "content", "still?"));
        assertEquals("NOT_IN_ROOM", refused.get("error").get("code").asText());
        assertError(history(room.token(), bob), 401, "UNAUTHORIZED");
        RawSocket back = socket();
        back.emit("join_room", Map.of("roomToken", room.token(), "sessionToken", bob));
        assertEquals("INVALID_SESSION", back.await("error").get("code").asText());
        assertEquals(1, JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data")
                .get("participantCount").asInt());
        // The others are unaffected.
        assertTrue(a.emitWithAck("send_message", Map.of("type", "TEXT", "content", "ok")).get("ok").asBoolean());
        Thread.sleep(200);
        assertEquals(List.of(), b.received("new_message").stream().filter(m -> "ok".equals(m.get("content").asText())).toList());

        assertError(owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(), "{\"nickname\":\"bob\"}"),
                404, "NOT_FOUND");
        assertError(owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(), "{\"nickname\":\"zed\"}"),
                404, "NOT_FOUND");
        assertError(owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(), "{}"), 400, "MISSING_NICKNAME");
        assertError(owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(), "{\"nickname\":\"<x>\"}"),
                400, "INVALID_NICKNAME");
    }

    /** A member joined over REST only: its session was held in memory for its first use, which must not come. */
    @Test
    void aKickedMemberJoinedOverRestOnlyIsRefusedFromMemoryToo() throws Exception {
        Created room = create("{}");
        RawSocket a = member(room.token(), join(room.token(), "alice"));
        String carol = join(room.token(), "carol");
        assertEquals(200, owner("POST", "/api/rooms/" + room.token() + "/kick", room.ownerToken(),
                "{\"nickname\":\"carol\"}").statusCode());
        RawSocket c = socket();
        c.emit("join_room", Map.of("roomToken", room.token(), "sessionToken", carol));
        assertEquals("INVALID_SESSION", c.await("error").get("code").asText());
        assertError(history(room.token(), carol), 401, "UNAUTHORIZED");
        Thread.sleep(200);
        assertEquals(List.of(), a.received("user_left"), "carol was never connected: nobody saw her");
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void theControlsRefuseAWrongOwnerAlikeWhetherOrNotTheRoomExists() throws Exception {
        Created room = create("{}");
        Created other = create("{}");
        String member = join(room.token(), "alice");
        Instant now = Instant.now();
        String legacy = "ghost-" + Long.toString(System.nanoTime() % 2_000_000_000L, 36);
        legacy = (legacy + "00000000").substring(0, 14);
        db.dao(RoomDao.class).insert(legacy, null, false, false, 50, now, now.plusSeconds(3600)).orElseThrow();

        String expected = null;
        List<String> tokens = List.of(room.token(), "ghost-zzzzzzzz", "ghost-dm-nobody", "not-a-room", legacy);
        List<String> bearers = new ArrayList<>(List.of("", "wrong", other.ownerToken(), member, Tokens.hash(room.ownerToken()),
                room.ownerToken().toLowerCase().equals(room.ownerToken()) ? "x" : room.ownerToken().toLowerCase()));
        for (String token : tokens) {
            for (String[] control : new String[][] {{"DELETE", ""}, {"PATCH", ""}, {"POST", "/kick"}}) {
                String path = "/api/rooms/" + token + control[1];
                String body = control[0].equals("PATCH") ? "{\"locked\":true}" : "{\"nickname\":\"alice\"}";
                List<HttpResponse<String>> answers = new ArrayList<>();
                answers.add(owner(control[0], path, null, body));
                for (String bearer : bearers) {
                    answers.add(owner(control[0], path, bearer, body));
                }
                answers.add(server.send(control[0], path, body.getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Basic " + room.ownerToken()));
                for (HttpResponse<String> res : answers) {
                    assertEquals(403, res.statusCode(), token + " " + control[0] + ": " + res.body());
                    if (expected == null) {
                        expected = res.body();
                    }
                    assertEquals(expected, res.body(), token + " " + control[0]);
                }
            }
        }
        assertEquals("FORBIDDEN", JSON.readTree(expected).get("error").get("code").asText());
        assertFalse(expected.contains(room.ownerToken()) || expected.contains(room.token()), expected);
        // Nothing happened to the room.
        JsonNode info = JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data");
        assertFalse(info.has("locked"));
        assertEquals(1, info.get("participantCount").asInt());
        assertEquals(200, history(room.token(), member).statusCode());
    }

    // ---------------------------------------------------------------- passwords

    @Test
    void aPasswordRoomNeedsItsPasswordWhichIsStoredAsAPbkdf2HashOnly() throws Exception {
        String password = "s3cret-pass";
        Created room = create("{\"password\":\"" + password + "\"}");
        String path = "/api/rooms/" + room.token() + "/join";
        assertTrue(JSON.readTree(server.get("/api/rooms/" + room.token()).body()).get("data").get("hasPassword").asBoolean());

        assertError(server.post(path, "{\"nickname\":\"ann\"}"), 401, "PASSWORD_REQUIRED");
        assertError(server.post(path, "{\"nickname\":\"ann\",\"password\":null}"), 401, "PASSWORD_REQUIRED");
        assertError(server.post(path, "{\"nickname\":\"ann\",\"password\":\"\"}"), 401, "PASSWORD_REQUIRED");
        for (String wrong : List.of("s3cret-pasS", "s3cret-pas", password + " ", "x".repeat(300))) {
            HttpResponse<String> res = server.post(path, "{\"nickname\":\"ann\",\"password\":\"" + wrong + "\"}");
            assertError(res, 403, "WRONG_PASSWORD");
            assertFalse(res.body().contains(wrong), res.body());
        }
        assertError(server.post(path, "{\"nickname\":\"ann\",\"password\":1234}"), 400, "INVALID_REQUEST");
        HttpResponse<String> ok = server.post(path, "{\"nickname\":\"ann\",\"password\":\"" + password + "\"}");
        assertEquals(201, ok.statusCode(), ok.body());

        var row = db.dao(RoomDao.class).findByToken(room.token()).orElseThrow();
        assertTrue(row.passwordHash().startsWith("pbkdf2-sha256$210000$"), "the hash and its parameters");
        assertFalse(row.passwordHash().contains(password));
        assertTrue(RoomPasswords.verify(password, row.passwordHash()));
        assertNotEquals(room.ownerToken(), row.ownerTokenHash());
        assertEquals(0, count("SELECT COUNT(*) FROM rooms WHERE password_hash LIKE ? OR owner_token_hash = ?",
                "%" + password + "%", room.ownerToken()));
    }

    // ---------------------------------------------------------------- typing

    @Test
    void typingGoesToTheOthersOnlyAndIsNeverStored() throws Exception {
        Created room = create("{}");
        String alice = join(room.token(), "alice");
        RawSocket a = member(room.token(), alice);
        RawSocket b = member(room.token(), join(room.token(), "bob"));
        a.emit("typing", Map.of("isTyping", true));
        JsonNode typing = b.await("user_typing");
        assertEquals("alice", typing.get("nickname").asText());
        assertTrue(typing.get("isTyping").asBoolean());
        Thread.sleep(300);
        assertEquals(List.of(), a.received("user_typing"));
        assertEquals("INVALID_PAYLOAD", a.emitWithAck("typing", Map.of("isTyping", "yes")).get("error").get("code").asText());
        RawSocket lobby = socket();
        assertEquals("NOT_IN_ROOM", lobby.emitWithAck("typing", Map.of("isTyping", true)).get("error").get("code").asText());
        assertEquals(0, count("SELECT COUNT(*) FROM messages WHERE room_id = ?", roomId(room.token())));
        assertEquals(0, JSON.readTree(history(room.token(), alice).body()).get("data").size());
    }
}
