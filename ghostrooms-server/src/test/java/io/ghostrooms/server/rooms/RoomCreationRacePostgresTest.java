package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.server.PostgresServerLog;
import io.ghostrooms.server.PostgresTestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The room creation races on a real PostgreSQL (a schema of its own, dropped afterwards), and what
 * they leave in PostgreSQL's own server log: nothing that names a token, and no error of ours.
 */
@DisplayName("room creation races on PostgreSQL")
class RoomCreationRacePostgresTest extends AbstractRoomCreationRaceTest {
    private PostgresTestDatabase postgres;

    @Override
    Database openDatabase(int poolSize) {
        postgres = PostgresTestDatabase.open("gr_race_", poolSize);
        return postgres.database();
    }

    @Override
    void closeDatabase() {
        postgres.close();
    }

    /**
     * Every race of this class once more, with PostgreSQL's log watched: before ON CONFLICT, the
     * losers' inserts were logged as "ERROR: duplicate key value ..." with "DETAIL: Key
     * (token)=(ghost-dm-…) already exists." (and a nickname for a join race).
     */
    @Test
    void theRacesLeaveNoErrorAndNoTokenOrNicknameInPostgresqlsLog() throws Exception {
        PostgresServerLog log = PostgresServerLog.mark();
        List<String> secrets = new ArrayList<>();

        String name = freshDmName();
        String token = createDmConcurrently(name);
        secrets.add(token);
        secrets.add(name);
        assertEquals(Map.of("joined", 2, "ROOM_FULL", 8), joinAll(token, 10, n -> "racer" + n));

        String expiring = freshDmName();
        String replaced = rooms.create(new CreateRoomRequest(1.0, expiring, null, true), nextIp()).token();
        clock.advance(Duration.ofMinutes(61));
        assertEquals(replaced, createDmConcurrently(expiring));
        secrets.add(replaced);

        String lobby = rooms.create(new CreateRoomRequest(1.0, "Lobby", false, false), nextIp()).token();
        String nickname = "Zq" + freshDmName();
        assertEquals(Map.of("joined", 1, "NICKNAME_IN_USE", 9),
                joinAll(lobby, 10, n -> n % 2 == 0 ? nickname : nickname.toUpperCase()));
        secrets.add(lobby);
        secrets.add(nickname.toLowerCase());

        Instant now = clock.instant();
        String taken = "ghost-" + freshDmName().substring(1, 9);
        String fresh = "ghost-" + freshDmName().substring(1, 9);
        database.dao(io.ghostrooms.persistence.rooms.RoomDao.class)
                .insert(taken, null, false, false, 50, now, now.plusSeconds(60)).orElseThrow();
        var draws = List.of(taken, fresh).iterator();
        assertEquals(fresh, rooms.createRoom(null, false, now, now.plusSeconds(60), draws::next).token());
        secrets.add(taken);

        Set<Integer> ours = postgres.backendPids();
        assertFalse(ours.isEmpty(), "the pool's backends carry the schema as application name");
        List<PostgresServerLog.Entry> entries = log.entriesSinceMark();

        for (PostgresServerLog.Entry entry : entries) {
            for (String secret : secrets) {
                assertFalse(entry.text().toLowerCase().contains(secret.toLowerCase()),
                        "PostgreSQL's log names '" + secret + "':\n" + entry.text());
            }
        }
        List<String> ourErrors = entries.stream()
                .filter(e -> e.fromAnyOf(ours) || e.text().contains(postgres.schema()))
                .filter(e -> e.isError() || e.text().contains("ERROR"))
                .map(PostgresServerLog.Entry::text)
                .collect(Collectors.toList());
        assertEquals(List.of(), ourErrors, "errors this test's backends logged");
    }
}
