package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.files.TestFileServices;
import io.ghostrooms.server.JdbiStatements;
import io.ghostrooms.server.MovableClock;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Room lookups (served from memory once seen) against a real embedded database. */
class RoomServiceTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private Database database;
    private RoomService rooms;

    @BeforeEach
    void setUp() {
        Config config = Config.from(Map.of());
        database = Database.open(config.database(), 2);
        rooms = new RoomService(database, config, new Tokens(), clock, new SessionService(database, clock),
                TestFileServices.inTempDirectory(database, clock), RateLimits.from(config).roomCreations(), () -> { });
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private String createRoom(double ttlHours) {
        return rooms.create(new CreateRoomRequest(ttlHours, "Lobby", false, false), "127.0.0.1").token();
    }

    private ErrorCode lookupError(String token) {
        return assertThrows(GhostRoomsException.class, () -> rooms.activeRoom(token)).code();
    }

    @Test
    void aLiveRoomSeenBeforeIsAnsweredWithoutAQuery() {
        String token = createRoom(1);
        rooms.activeRoom(token);
        AtomicInteger statements = JdbiStatements.count(database);
        assertEquals(token, rooms.activeRoom(token).token());
        assertEquals(0, statements.get());
    }

    @Test
    void aRoomJustCreatedIsAnsweredWithoutAQuery() {
        String token = createRoom(1);
        AtomicInteger statements = JdbiStatements.count(database);
        assertEquals(token, rooms.activeRoom(token).token());
        assertEquals(0, statements.get());
    }

    @Test
    void aRoomSeenBeforeAnswersExpiredOnceItsTimeIsUp() {
        String token = createRoom(1);
        rooms.activeRoom(token);
        clock.advance(Duration.ofMinutes(61));
        assertEquals(ErrorCode.ROOM_EXPIRED, lookupError(token));
    }

    @Test
    void aRoomSeenBeforeIsNotFoundOnceCleanupDeletedIt() {
        String token = createRoom(1);
        long id = rooms.activeRoom(token).id();
        clock.advance(Duration.ofMinutes(61));
        rooms.purge(id);
        assertEquals(ErrorCode.ROOM_NOT_FOUND, lookupError(token));
    }

    @Test
    void aRoomWhoseEndHasBegunIsNotFoundWhileItsRowIsStillThere() {
        String token = createRoom(1);
        long id = rooms.activeRoom(token).id();
        rooms.forget(token, id); // the closer's first step; the purge comes after
        assertEquals(ErrorCode.ROOM_NOT_FOUND, lookupError(token));
        assertEquals(ErrorCode.ROOM_NOT_FOUND, lookupError(token), "and it was not cached by the first lookup");
    }

    @Test
    void aDmRoomCreatedAgainAfterExpiryIsFoundWithItsNewRow() {
        CreateRoomRequest dm = new CreateRoomRequest(1.0, "alice-bob", null, true);
        String token = rooms.create(dm, "127.0.0.1").token();
        long first = rooms.activeRoom(token).id();
        clock.advance(Duration.ofMinutes(61));
        assertEquals(token, rooms.create(dm, "127.0.0.1").token());
        RoomRow again = rooms.activeRoom(token);
        assertNotEquals(first, again.id());
        assertEquals("alice", rooms.join(token, "alice").nickname());
    }

    @Test
    void aRoomInsertedElsewhereAfterAMissIsFoundAtOnce() {
        String token = "ghost-abcdefgh";
        assertEquals(ErrorCode.ROOM_NOT_FOUND, lookupError(token));
        database.dao(RoomDao.class).insert(token, "Elsewhere", false, false, 50, clock.instant(),
                clock.instant().plus(Duration.ofHours(1)));
        assertEquals(token, rooms.activeRoom(token).token());
    }

    /** Runs the same join from many threads at once; returns how many succeeded and each error code seen. */
    private Map<String, Integer> joinConcurrently(String token, int joiners, java.util.function.IntFunction<String> nickname)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(joiners);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        Map<String, Integer> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < joiners; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    start.await();
                    String outcome;
                    try {
                        rooms.join(token, nickname.apply(n));
                        outcome = "joined";
                    } catch (GhostRoomsException e) {
                        outcome = e.code().name();
                    }
                    outcomes.merge(outcome, 1, Integer::sum);
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    @Test
    void concurrentJoinsNeverExceedTheRoomsCapacity() throws Exception {
        String dm = rooms.create(new CreateRoomRequest(1.0, "ann-bob", null, true), "127.0.0.1").token();
        assertEquals(Map.of("joined", 2, "ROOM_FULL", 10), joinConcurrently(dm, 12, n -> "user" + n));
    }

    @Test
    void concurrentJoinsWithOneNicknameLetExactlyOneIn() throws Exception {
        String token = createRoom(1);
        assertEquals(Map.of("joined", 1, "NICKNAME_IN_USE", 9), joinConcurrently(token, 10, n -> n % 2 == 0 ? "Ann" : "ANN"));
    }
}
