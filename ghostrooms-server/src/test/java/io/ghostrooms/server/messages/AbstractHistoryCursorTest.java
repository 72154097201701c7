package io.ghostrooms.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.messages.MessageBatchDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.server.JdbiStatements;
import io.ghostrooms.server.MovableClock;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.bus.SilentRoomBus;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.common.Telemetry;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.UploadRegistry;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * History's {@code before} cursor takes any instant (PROTOCOL Input rules), run against each
 * database we support: a future one gives the newest page, one before what a database can store an
 * empty page without a query, and neither is an error (PostgreSQL used to answer 22008 "timestamp
 * out of range", a 500).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractHistoryCursorTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private Database database;
    private MessageService messages;
    private SessionContext session;
    private List<MessageRow> stored;

    abstract Database openDatabase();

    abstract void closeDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
    }

    @AfterAll
    void close() {
        if (database != null) {
            closeDatabase();
        }
    }

    @BeforeEach
    void roomWithThreeMessages() {
        Instant now = clock.instant();
        String token = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        long room = database.dao(RoomDao.class).insert(token, null, false, false, 50, now.minusSeconds(60),
                now.plus(Duration.ofHours(1))).orElseThrow();
        long sessionId = database.jdbi().inTransaction(h -> new MembershipDao(h)
                .insertSession(UUID.randomUUID().toString().replace("-", ""), room, "Ann", "ann", now).orElseThrow());
        session = new SessionContext(sessionId, "Ann", room, token, false, now.plus(Duration.ofHours(1)));
        stored = new ArrayList<>();
        for (int i = 3; i >= 1; i--) {
            stored.add(new MessageRow(UUID.randomUUID().toString(), room, sessionId, "TEXT", "m" + i, "Ann",
                    now.minusSeconds(i * 10L)));
        }
        database.jdbi().useTransaction(h -> new MessageBatchDao(h).insertAll(stored));
        messages = new MessageService(database, Config.from(Map.of()), clock, new SessionService(database, clock),
                new UploadRegistry(), new SilentRoomBus(), RateLimits.from(Config.from(Map.of())).messages(), Telemetry.NONE, 10);
    }

    @AfterEach
    void closeService() {
        messages.close();
    }

    private List<String> page(int limit, Instant before) {
        return messages.history(session, limit, before).stream().map(MessageDto::id).toList();
    }

    private List<String> ids(int from, int to) {
        return stored.subList(from, to).stream().map(MessageRow::id).toList();
    }

    @Test
    void noCursorGivesTheNewestPageOldestFirst() {
        assertEquals(ids(1, 3), page(2, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-01T10:00:00.001Z", "2126-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "+10000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "+292278994-08-17T07:12:55.808Z",
            "+999999999-12-31T23:59:59Z"})
    void aCursorAfterNowGivesTheNewestPage(String before) {
        assertEquals(ids(1, 3), page(2, Timestamps.parse(before)));
    }

    /** A burst's stamps run ahead of the clock: paging back from one must still exclude it. */
    @Test
    void aCursorAheadOfTheClockStillExcludesWhatIsNotOlder() {
        Instant ahead = clock.instant().plusMillis(40);
        MessageRow burst = new MessageRow(UUID.randomUUID().toString(), session.roomId(), session.sessionId(), "TEXT",
                "ahead", "Ann", ahead);
        database.jdbi().useTransaction(h -> new MessageBatchDao(h).insertAll(List.of(burst)));

        assertEquals(ids(0, 3), page(10, ahead));
        assertEquals(List.of(stored.get(2).id(), burst.id()), page(2, ahead.plusMillis(1)));
    }

    @Test
    void theLatestInstantThereIsGivesTheNewestPage() {
        assertEquals(ids(0, 3), page(10, Instant.MAX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-12-31T23:59:59.999Z", "-4713-11-24T00:00:00Z", "-10000-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z"})
    void aCursorBeforeYearOneGivesAnEmptyPageWithoutAQuery(String before) {
        AtomicInteger statements = JdbiStatements.count(database);
        assertEquals(List.of(), page(10, Timestamps.parse(before)));
        assertEquals(0, statements.get(), "answered without SQL");
    }

    @Test
    void theEarliestInstantThereIsGivesAnEmptyPage() {
        assertEquals(List.of(), page(10, Instant.MIN));
    }

    @Test
    void aCursorAtYearOneReachesTheDatabaseAndFindsNothingOlder() {
        AtomicInteger statements = JdbiStatements.count(database);
        assertEquals(List.of(), page(10, Instant.parse("0001-01-01T00:00:00Z")));
        assertEquals(1, statements.get());
    }

    @Test
    void aCursorBetweenPagesBackAsBefore() {
        Instant second = stored.get(1).createdAt();
        assertEquals(ids(0, 1), page(10, second));
        assertEquals(ids(0, 2), page(10, stored.get(2).createdAt()));
    }

    @Test
    void aCursorAtNowIsStillACursor() {
        assertEquals(ids(0, 3), page(10, clock.instant()));
    }
}
