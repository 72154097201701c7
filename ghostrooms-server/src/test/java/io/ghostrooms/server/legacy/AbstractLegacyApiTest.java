package io.ghostrooms.server.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.server.RawSocket;
import io.ghostrooms.server.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The legacy ChatBackEnd API through the real server (websockets speaking Engine.IO 4, REST), checked
 * in the database itself: the README flow, the rows each step leaves, the separation from token
 * rooms, refusals, users deleted with their connection or their last room, and a room's expiry
 * taking its rows with it. Run on embedded H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractLegacyApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    TestServer server;
    Database db;
    private final List<RawSocket> sockets = new ArrayList<>();
    private final List<TestServer> others = new ArrayList<>();

    /** DATABASE_URL for a server under test (a fresh database each call); empty for embedded H2. */
    abstract Map<String, String> databaseEnv();

    void afterServer() {
    }

    static Map<String, String> generous(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        env.put("RATE_LIMIT_ROOM_CREATE_PER_HOUR", "100000");
        env.put("RATE_LIMIT_LOOKUPS_PER_MINUTE", "100000");
        env.put("RATE_LIMIT_MESSAGES_PER_MINUTE", "1000");
        return env;
    }

    @BeforeAll
    void start() throws Exception {
        server = new TestServer(generous(databaseEnv()));
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
            others.forEach(TestServer::close);
            if (server != null) {
                server.close();
            }
        } finally {
            afterServer();
        }
    }

    RawSocket socket(TestServer on) throws Exception {
        RawSocket socket = RawSocket.connect(on);
        sockets.add(socket);
        return socket;
    }

    static JsonNode register(RawSocket socket, String userId, String username) throws Exception {
        socket.emit("register", Map.of("userId", userId, "username", username));
        return socket.await("registered");
    }

    static String error(RawSocket socket, String event, Object payload) throws Exception {
        socket.emit(event, payload);
        return socket.await("error").get("code").asText();
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

    static void eventually(String what, BooleanSupplier state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---------------------------------------------------------------- the README flow

    @Test
    void theReadmeFlowLeavesTheRowsItShouldAndServesItsShapes() throws Exception {
        RawSocket a = socket(server);
        RawSocket b = socket(server);
        String ann = id("ann");
        String bob = id("bob");
        JsonNode registered = register(a, ann, "Ann");
        assertTrue(registered.get("success").asBoolean());
        assertEquals(ann, registered.at("/user/id").asText());
        assertEquals("Ann", registered.at("/user/username").asText());
        assertTrue(registered.at("/user/createdAt").asText().endsWith("Z"));
        register(b, bob, "Bob");
        assertEquals(1, count("SELECT COUNT(*) FROM legacy_users WHERE id = ?", ann));

        a.emit("createRoom", Map.of("name", "General", "userId", ann));
        JsonNode room = a.await("roomCreated").get("room");
        String roomId = room.get("id").asText();
        UUID.fromString(roomId);
        assertEquals("General", room.get("name").asText());
        assertEquals(ann, room.at("/users/0/userId").asText());
        assertEquals(0, room.get("messages").size());
        assertEquals(1, count("SELECT COUNT(*) FROM rooms WHERE legacy_id = ? AND is_public = FALSE", roomId));

        b.emit("getRooms", null);
        JsonNode list = b.await("roomsList");
        assertTrue(list.get("success").asBoolean());
        JsonNode listed = findRoom(list.get("rooms"), roomId);
        assertEquals(1, listed.at("/_count/users").asInt());
        assertEquals(0, listed.at("/_count/messages").asInt());

        b.emit("joinRoom", Map.of("roomId", roomId, "userId", bob, "username", "Bob"));
        JsonNode joined = b.await("joinedRoom").get("room");
        assertEquals(2, joined.get("users").size());
        JsonNode userJoined = a.await("userJoined");
        assertEquals(bob, userJoined.get("userId").asText());
        assertEquals("Bob", userJoined.get("username").asText());

        a.emit("sendMessage", Map.of("roomId", roomId, "userId", ann, "content", "hello bob"));
        JsonNode toB = b.await("newMessage");
        JsonNode toA = a.await("newMessage");
        assertEquals(toA, toB, "the sender gets the same newMessage");
        assertEquals("hello bob", toB.get("content").asText());
        assertEquals(ann, toB.get("userId").asText());
        assertEquals(roomId, toB.get("roomId").asText());
        assertEquals("Ann", toB.at("/user/username").asText());
        JsonNode ack = b.emitWithAck("sendMessage", Map.of("roomId", roomId, "userId", bob, "content", "hi ann"));
        assertEquals("hi ann", ack.get("content").asText());
        a.await("newMessage", m -> m.get("content").asText().equals("hi ann"), WAIT);
        assertEquals(2, count("SELECT COUNT(*) FROM messages m JOIN rooms r ON r.id = m.room_id "
                + "WHERE r.legacy_id = ? AND m.legacy_user_id IS NOT NULL", roomId));

        HttpResponse<String> one = server.get("/api/rooms/" + roomId);
        assertEquals(200, one.statusCode(), one.body());
        JsonNode body = JSON.readTree(one.body());
        assertTrue(body.get("success").asBoolean());
        assertEquals(List.of("hello bob", "hi ann"), contents(body.at("/room/messages")), "oldest first");

        b.emit("leaveRoom", roomId);
        JsonNode left = a.await("userLeft");
        assertEquals(bob, left.get("userId").asText());
        assertEquals(0, count("SELECT COUNT(*) FROM legacy_room_users WHERE user_id = ?", bob));
        assertEquals(1, count("SELECT COUNT(*) FROM legacy_users WHERE id = ?", bob), "alive while connected");
        assertEquals("NOT_IN_ROOM", error(b, "sendMessage", Map.of("roomId", roomId, "userId", bob, "content", "x")));

        b.close();
        eventually("a user in no room goes with its connection",
                () -> count("SELECT COUNT(*) FROM legacy_users WHERE id = ?", bob) == 0);
        a.close();
        Thread.sleep(300);
        assertEquals(1, count("SELECT COUNT(*) FROM legacy_users WHERE id = ?", ann), "in a room: it stays with it");
    }

    private static JsonNode findRoom(JsonNode rooms, String roomId) {
        for (JsonNode r : rooms) {
            if (r.get("id").asText().equals(roomId)) {
                return r;
            }
        }
        throw new AssertionError("room " + roomId + " not listed in " + rooms);
    }

    private static List<String> contents(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.get("content").asText()));
        return out;
    }

    // ---------------------------------------------------------------- separation and refusals

    @Test
    void tokenRoomsAndLegacyRoomsNeverMeet() throws Exception {
        HttpResponse<String> created = server.post("/api/rooms", "{\"name\":\"Token room\",\"isPublic\":true}");
        String token = JSON.readTree(created.body()).at("/data/token").asText();
        RawSocket a = socket(server);
        String ann = id("ann");
        register(a, ann, "Ann");
        a.emit("createRoom", Map.of("name", "Legacy room", "userId", ann));
        String roomId = a.await("roomCreated").at("/room/id").asText();

        JsonNode legacyList = JSON.readTree(server.get("/api/rooms").body()).get("rooms");
        assertFalse(legacyList.toString().contains(token), "no token room in the legacy list");
        findRoom(legacyList, roomId);
        String publicList = server.get("/api/rooms/public").body();
        assertTrue(publicList.contains(token));
        assertFalse(publicList.contains(roomId) || publicList.contains("Legacy room"), "no legacy room in the public list");

        assertEquals("ROOM_NOT_FOUND", error(a, "joinRoom", Map.of("roomId", token, "userId", ann)));
        assertEquals("NOT_IN_ROOM", error(a, "sendMessage", Map.of("roomId", token, "userId", ann, "content", "x")));
        HttpResponse<String> legacyByToken = server.post("/api/rooms/" + roomId + "/join", "{\"nickname\":\"ann\"}");
        assertEquals(404, legacyByToken.statusCode());
        assertEquals("ROOM_NOT_FOUND", JSON.readTree(legacyByToken.body()).at("/error/code").asText());
        String busToken = db.jdbi().withHandle(h -> h.createQuery("SELECT token FROM rooms WHERE legacy_id = :id")
                .bind("id", roomId).mapTo(String.class).one());
        assertEquals(404, server.get("/api/rooms/" + busToken).statusCode(), "its internal name is no token");
        assertEquals(403, server.send("DELETE", "/api/rooms/" + roomId, null, "Authorization", "Bearer x").statusCode());
        HttpResponse<String> unknown = server.get("/api/rooms/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"success\":false,\"error\":\"Room not found\"}", unknown.body());
        assertEquals(1, count("SELECT COUNT(*) FROM rooms WHERE legacy_id = ?", roomId), "the legacy room is untouched");
    }

    @Test
    void everyBadInputGetsItsCodeAndTheSocketKeepsWorking() throws Exception {
        RawSocket a = socket(server);
        RawSocket other = socket(server);
        String ann = id("ann");
        String bob = id("bob");
        assertEquals("UNAUTHORIZED", error(a, "createRoom", Map.of("name", "x", "userId", ann)));
        assertEquals("INVALID_PAYLOAD", error(a, "register", "not an object"));
        assertEquals("INVALID_PAYLOAD", error(a, "register", Map.of("username", "Ann")));
        assertEquals("INVALID_PAYLOAD", error(a, "register", Map.of("userId", 42, "username", "Ann")));
        assertEquals("INVALID_PAYLOAD", error(a, "register", Map.of("userId", "has space", "username", "Ann")));
        assertEquals("INVALID_USERNAME", error(a, "register", Map.of("userId", ann, "username", "A\u0000n")));
        assertEquals("USERNAME_TOO_SHORT", error(a, "register", Map.of("userId", ann, "username", "A")));
        register(a, ann, "Ann");
        register(other, bob, "Bob");
        assertEquals("FORBIDDEN", error(other, "register", Map.of("userId", ann, "username", "Mallory")));
        assertEquals("FORBIDDEN", error(a, "createRoom", Map.of("name", "x", "userId", bob)));
        assertEquals("INVALID_ROOM", error(a, "createRoom", Map.of("userId", ann)));
        assertEquals("INVALID_ROOM", error(a, "createRoom", Map.of("name", "n".repeat(101), "userId", ann)));
        assertEquals("INVALID_PAYLOAD", error(a, "joinRoom", Map.of("userId", ann)));
        assertEquals("ROOM_NOT_FOUND", error(a, "joinRoom", Map.of("roomId", UUID.randomUUID().toString(), "userId", ann)));
        assertEquals("INVALID_PAYLOAD", error(a, "leaveRoom", Map.of("roomId", "x")));
        assertEquals("NOT_IN_ROOM", error(a, "leaveRoom", UUID.randomUUID().toString()));
        a.emit("createRoom", Map.of("name", "Mine", "userId", ann));
        String roomId = a.await("roomCreated").at("/room/id").asText();
        assertEquals("NOT_IN_ROOM", error(other, "sendMessage", Map.of("roomId", roomId, "userId", bob, "content", "x")));
        assertEquals("INVALID_MESSAGE", error(a, "sendMessage", Map.of("roomId", roomId, "userId", ann, "content", " ")));
        assertEquals("INVALID_MESSAGE", error(a, "sendMessage", Map.of("roomId", roomId, "userId", ann, "content", 7)));
        // (Unpaired surrogates: e2e legacy.test.mjs, whose JSON.stringify escapes them; this client's UTF-8 would not.)
        assertEquals("MESSAGE_TOO_LONG", error(a, "sendMessage",
                Map.of("roomId", roomId, "userId", ann, "content", "x".repeat(2001))));
        assertEquals(0, count("SELECT COUNT(*) FROM messages m JOIN rooms r ON r.id = m.room_id WHERE r.legacy_id = ?",
                roomId));
        a.emit("sendMessage", Map.of("roomId", roomId, "userId", ann, "content", "still here"));
        assertEquals("still here", a.await("newMessage").get("content").asText());
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void anExpiredLegacyRoomIsDeletedWithItsMembershipsMessagesAndUsers() throws Exception {
        Map<String, String> env = generous(databaseEnv());
        env.put("ROOM_TTL_HOURS", "0.002"); // 7.2 s
        TestServer shortLived = new TestServer(env);
        others.add(shortLived);
        Database shortDb = shortLived.server().database();
        RawSocket a = socket(shortLived);
        RawSocket b = socket(shortLived);
        String ann = id("ann");
        String bob = id("bob");
        register(a, ann, "Ann");
        register(b, bob, "Bob");
        a.emit("createRoom", Map.of("name", "Brief", "userId", ann));
        String roomId = a.await("roomCreated").at("/room/id").asText();
        b.emit("joinRoom", Map.of("roomId", roomId, "userId", bob));
        b.await("joinedRoom");
        a.emit("sendMessage", Map.of("roomId", roomId, "userId", ann, "content", "soon gone"));
        b.await("newMessage");
        b.close();
        eventually("the room's rows are gone after its expiry", () -> shortDb.jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM rooms WHERE legacy_id = :id").bind("id", roomId)
                        .mapTo(Integer.class).one()) == 0);
        assertEquals(404, shortLived.get("/api/rooms/" + roomId).statusCode());
        int rows = shortDb.jdbi().withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM messages) "
                + "+ (SELECT COUNT(*) FROM legacy_room_users)").mapTo(Integer.class).one());
        assertEquals(0, rows, "its messages and memberships went with it");
        eventually("bob (no room, no connection) is deleted", () -> shortDb.jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM legacy_users WHERE id = :id").bind("id", bob)
                        .mapTo(Integer.class).one()) == 0);
        assertEquals(1, (int) shortDb.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM legacy_users WHERE id = :id")
                .bind("id", ann).mapTo(Integer.class).one()), "ann is still connected");
        assertEquals("NOT_IN_ROOM", error(a, "sendMessage", Map.of("roomId", roomId, "userId", ann, "content", "late")));
        a.close();
        eventually("ann goes with her connection", () -> shortDb.jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM legacy_users").mapTo(Integer.class).one()) == 0);
    }
}
