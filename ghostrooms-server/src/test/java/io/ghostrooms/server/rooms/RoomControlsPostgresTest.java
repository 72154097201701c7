package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ghostrooms.server.PostgresServerLog;
import io.ghostrooms.server.PostgresTestDatabase;
import io.ghostrooms.server.RawSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The owner's controls on a real PostgreSQL (a schema of its own, dropped afterwards), and what
 * they leave in PostgreSQL's own log: no owner token, password, session or room token, and no
 * error from this test's connections (the races end in SQL that updates nothing, never in one
 * that raises).
 */
@DisplayName("room controls on PostgreSQL")
class RoomControlsPostgresTest extends AbstractRoomControlsTest {
    private PostgresTestDatabase postgres;

    @Override
    Map<String, String> databaseEnv() {
        postgres = PostgresTestDatabase.open("gr_controls_", 2);
        return Map.of("DATABASE_URL", postgres.url());
    }

    @Override
    void afterServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theControlsLeaveNoSecretAndNoErrorInPostgresqlsLog() throws Exception {
        PostgresServerLog log = PostgresServerLog.mark();
        List<String> secrets = new ArrayList<>();
        String password = "Pg-log-" + System.nanoTime();
        Created room = create("{\"password\":\"" + password + "\",\"vanishWhenEmpty\":true}");
        secrets.addAll(List.of(password, room.ownerToken(), room.token(),
                io.ghostrooms.server.sessions.Tokens.hash(room.ownerToken())));
        String path = "/api/rooms/" + room.token();
        assertEquals(403, server.post(path + "/join", "{\"nickname\":\"ann\",\"password\":\"nope-" + password + "\"}")
                .statusCode());
        HttpResponse<String> joined = server.post(path + "/join", "{\"nickname\":\"ann\",\"password\":\"" + password + "\"}");
        String ann = JSON.readTree(joined.body()).get("data").get("sessionToken").asText();
        String bob = JSON.readTree(server.post(path + "/join", "{\"nickname\":\"bob\",\"password\":\"" + password + "\"}")
                .body()).get("data").get("sessionToken").asText();
        secrets.addAll(List.of(ann, bob, io.ghostrooms.server.sessions.Tokens.hash(ann)));
        RawSocket a = member(room.token(), ann);
        RawSocket b = member(room.token(), bob);
        assertEquals(200, owner("PATCH", path, room.ownerToken(), "{\"ttlHours\":2,\"locked\":true}").statusCode());
        a.await("room_ttl_extended");
        assertEquals(403, server.post(path + "/join", "{\"nickname\":\"cy\",\"password\":\"" + password + "\"}")
                .statusCode());
        // Two kicks of one member at once: one removes it, the other finds nobody; neither raises.
        var k1 = java.util.concurrent.CompletableFuture.supplyAsync(() -> kick(path, room.ownerToken(), "bob"));
        var k2 = java.util.concurrent.CompletableFuture.supplyAsync(() -> kick(path, room.ownerToken(), "bob"));
        assertEquals(Set.of(200, 404), Set.of(k1.get(), k2.get()));
        b.await("room_closed");
        assertEquals(403, owner("DELETE", path, "wrong" + room.ownerToken().substring(5), null).statusCode());
        // A close racing a PATCH: the PATCH updates nothing once the room is gone.
        var close = java.util.concurrent.CompletableFuture.supplyAsync(() -> send("DELETE", path, room.ownerToken(), null));
        var patch = java.util.concurrent.CompletableFuture.supplyAsync(() -> send("PATCH", path, room.ownerToken(),
                "{\"ttlHours\":3}"));
        assertEquals(200, (int) close.get());
        int patched = patch.get();
        assertFalse(patched >= 500, "PATCH racing the close answered " + patched);
        a.await("room_closed");

        Set<Integer> ours = postgres.backendPids();
        List<PostgresServerLog.Entry> entries = log.entriesSinceMark();
        for (PostgresServerLog.Entry entry : entries) {
            for (String secret : secrets) {
                assertFalse(entry.text().contains(secret), "PostgreSQL's log holds a secret:\n" + entry.text());
            }
        }
        List<String> ourErrors = entries.stream()
                .filter(e -> e.fromAnyOf(ours) || e.text().contains(postgres.schema()))
                .filter(e -> e.isError() || e.text().contains("ERROR"))
                .map(PostgresServerLog.Entry::text)
                .toList();
        assertEquals(List.of(), ourErrors, "errors this test's backends logged");
    }

    private int kick(String path, String ownerToken, String nickname) {
        return send("POST", path + "/kick", ownerToken, "{\"nickname\":\"" + nickname + "\"}");
    }

    private int send(String method, String path, String ownerToken, String body) {
        try {
            return owner(method, path, ownerToken, body).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
