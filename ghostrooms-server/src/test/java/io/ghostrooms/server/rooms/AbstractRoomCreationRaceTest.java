package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.messages.MessageBatchDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.protocol.rest.CreatedRoom;
import io.ghostrooms.server.MovableClock;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.files.TestFileServices;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Creators racing for one room, run against each database we support (subclasses open it): every
 * creator gets the room, none an exception, and the database raises nothing (taken tokens are
 * resolved by INSERT ... ON CONFLICT DO NOTHING).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRoomCreationRaceTest {
    static final int CREATORS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger IPS = new AtomicInteger();

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    Database database;
    RoomService rooms;

    /** Opens and migrates the database under test, with a pool of at least {@code poolSize}. */
    abstract Database openDatabase(int poolSize);

    abstract void closeDatabase();

    @BeforeAll
    void open() {
        database = openDatabase(CREATORS + 2);
    }

    @AfterAll
    void close() {
        if (database != null) {
            closeDatabase();
        }
    }

    @BeforeEach
    void newService() {
        Config config = Config.from(Map.of());
        rooms = new RoomService(database, config, new Tokens(), clock, new SessionService(database, clock),
                TestFileServices.inTempDirectory(database, clock), RateLimits.from(config).roomCreations(), () -> { });
    }

    /** A DM room name no other test (or earlier run) uses: 6+ of [A-Za-z0-9_-]; its token takes the first 6. */
    static String freshDmName() {
        StringBuilder sb = new StringBuilder("r");
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 9; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Another client address each call: the per-IP creation limit is not what these tests are about. */
    static String nextIp() {
        int n = IPS.incrementAndGet();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    /** Runs {@code task} on {@code threads} threads released together; returns each result or failure. */
    static <T> List<Object> concurrently(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    try {
                        return task.apply(n);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            start.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertNoFailures(List<Object> results) {
        for (Object r : results) {
            if (r instanceof Throwable t) {
                throw new AssertionError("a concurrent creator failed: " + t, t);
            }
        }
    }

    int roomsWithToken(String token) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM rooms WHERE token = :token")
                .bind("token", token).mapTo(Integer.class).one());
    }

    /** Creates the DM room {@code name} from {@link #CREATORS} threads at once; returns the one token all got. */
    String createDmConcurrently(String name) throws Exception {
        CreateRoomRequest dm = new CreateRoomRequest(1.0, name, null, true);
        List<Object> results = concurrently(CREATORS, n -> rooms.create(dm, nextIp()));
        assertNoFailures(results);
        Set<String> tokens = results.stream().map(r -> ((CreatedRoom) r).token()).collect(Collectors.toSet());
        Set<String> expiries = results.stream().map(r -> ((CreatedRoom) r).expiresAt()).collect(Collectors.toSet());
        assertEquals(Set.of(Tokens.dmRoomToken(name)), tokens, "every creator gets the DM room's token");
        assertEquals(1, expiries.size(), "every creator gets the same room: " + expiries);
        assertEquals(1, roomsWithToken(Tokens.dmRoomToken(name)));
        return tokens.iterator().next();
    }

    // ---------------------------------------------------------------- DM rooms

    @Test
    void creatorsRacingForOneDmRoomAllGetItWithoutAnError() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = freshDmName();
            String token = createDmConcurrently(name);
            RoomRow room = rooms.activeRoom(token);
            assertTrue(room.isDm());
            assertEquals(name, room.name());
            assertEquals(Map.of("joined", 2), joinAll(token, 2, n -> "user" + n), "the room they share takes two");
        }
    }

    @Test
    void creatorsRacingToReplaceAnExpiredDmRoomAllGetTheOneNewRoom() throws Exception {
        String name = freshDmName();
        String token = rooms.create(new CreateRoomRequest(1.0, name, null, true), nextIp()).token();
        RoomRow old = rooms.activeRoom(token);
        MessageRow message = new MessageRow(UUID.randomUUID().toString(), old.id(), null, "FILE", null, "Ann",
                clock.instant());
        database.jdbi().useTransaction(h -> new MessageBatchDao(h).insertAll(List.of(message)));
        String fileId = UUID.randomUUID().toString();
        database.dao(AttachmentDao.class).insert(new AttachmentRow(fileId, message.id(), "a.png", fileId + ".png", 1,
                "image/png", "http://localhost/api/files/" + fileId + ".png", clock.instant()));
        clock.advance(Duration.ofMinutes(61));

        assertEquals(token, createDmConcurrently(name));

        RoomRow replacement = rooms.activeRoom(token);
        assertNotEquals(old.id(), replacement.id());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), replacement.expiresAt());
        assertTrue(database.dao(RoomDao.class).findById(old.id()).isEmpty());
        assertTrue(database.dao(AttachmentDao.class).findById(fileId).isEmpty(), "the old room's rows are gone");
    }

    @Test
    void anActiveDmRoomIsReturnedNotReplaced() {
        String name = freshDmName();
        CreateRoomRequest dm = new CreateRoomRequest(1.0, name, null, true);
        String token = rooms.create(dm, nextIp()).token();
        long id = rooms.activeRoom(token).id();
        clock.advance(Duration.ofMinutes(59));
        assertEquals(token, rooms.create(dm, nextIp()).token());
        assertEquals(id, database.dao(RoomDao.class).findByToken(token).orElseThrow().id());
    }

    // ---------------------------------------------------------------- random tokens

    @Test
    void aRandomTokenAlreadyTakenIsDrawnAgain() {
        Instant now = clock.instant();
        String taken = "ghost-" + freshDmName().substring(1, 9);
        String fresh = "ghost-" + freshDmName().substring(1, 9);
        database.dao(RoomDao.class).insert(taken, "First", false, false, 50, now, now.plusSeconds(3600)).orElseThrow();
        Iterator<String> draws = List.of(taken, fresh).iterator();

        RoomRow created = rooms.createRoom("Second", true, now, now.plusSeconds(60), draws::next);

        assertEquals(fresh, created.token());
        assertEquals("First", database.dao(RoomDao.class).findByToken(taken).orElseThrow().name());
        assertEquals(created, database.dao(RoomDao.class).findByToken(fresh).orElseThrow());
    }

    @Test
    void aTokenSourceThatOnlyDrawsTakenTokensFailsAfterFiveDrawsWithoutASqlError() {
        Instant now = clock.instant();
        String taken = "ghost-" + freshDmName().substring(1, 9);
        database.dao(RoomDao.class).insert(taken, null, false, false, 50, now, now.plusSeconds(3600)).orElseThrow();
        AtomicInteger draws = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rooms.createRoom(null, false, now, now.plusSeconds(60), () -> {
                    draws.incrementAndGet();
                    return taken;
                }));
        assertEquals(5, draws.get());
        assertEquals(null, e.getCause());
    }

    @Test
    void concurrentCreatorsOfRandomRoomsAllGetDistinctRooms() throws Exception {
        List<Object> results = concurrently(CREATORS,
                n -> rooms.create(new CreateRoomRequest(1.0, "Lobby " + n, false, false), nextIp()));
        assertNoFailures(results);
        assertEquals(CREATORS, results.stream().map(r -> ((CreatedRoom) r).token()).distinct().count());
    }

    // ---------------------------------------------------------------- joins (refused inserts map to codes)

    /** Joins from many threads at once; returns how many joined and each error code seen. */
    Map<String, Integer> joinAll(String token, int joiners, IntFunction<String> nickname) throws Exception {
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<Object> results = concurrently(joiners, n -> {
            try {
                rooms.join(token, nickname.apply(n));
                return "joined";
            } catch (GhostRoomsException e) {
                return e.code().name();
            }
        });
        assertNoFailures(results);
        results.forEach(r -> outcomes.merge((String) r, 1, Integer::sum));
        return outcomes;
    }

    @Test
    void concurrentJoinsOfADmRoomAreRefusedAsFullWithoutAnError() throws Exception {
        String token = createDmConcurrently(freshDmName());
        assertEquals(Map.of("joined", 2, "ROOM_FULL", 8), joinAll(token, 10, n -> "user" + n));
    }

    @Test
    void concurrentJoinsWithOneNicknameInAnyCaseLetOneInAndRefuseTheRestAsInUse() throws Exception {
        String token = rooms.create(new CreateRoomRequest(1.0, "Lobby", false, false), nextIp()).token();
        assertEquals(Map.of("joined", 1, "NICKNAME_IN_USE", 9),
                joinAll(token, 10, n -> n % 2 == 0 ? "Ann" : "ANN"));
    }
}
