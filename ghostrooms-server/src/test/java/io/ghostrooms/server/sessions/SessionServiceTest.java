package io.ghostrooms.server.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.protocol.rest.JoinedRoom;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.files.TestFileServices;
import io.ghostrooms.server.JdbiStatements;
import io.ghostrooms.server.MovableClock;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.rooms.RoomService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authenticating sessions, the one a REST join has just created included, against a real embedded database. */
class SessionServiceTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private Database database;
    private SessionService sessions;
    private RoomService rooms;
    private AtomicInteger statements;

    @BeforeEach
    void setUp() {
        Config config = Config.from(Map.of());
        database = Database.open(config.database(), 2);
        sessions = new SessionService(database, clock);
        rooms = new RoomService(database, config, new Tokens(), clock, sessions,
                TestFileServices.inTempDirectory(database, clock), RateLimits.from(config).roomCreations(), () -> { });
        statements = JdbiStatements.count(database);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private JoinedRoom join(String nickname) {
        String token = rooms.create(new CreateRoomRequest(1.0, "Lobby", false, false), "127.0.0.1").token();
        return rooms.join(token, nickname);
    }

    private ErrorCode authenticateError(String sessionToken) {
        return assertThrows(GhostRoomsException.class,
                () -> sessions.authenticate(sessionToken, ErrorCode.INVALID_SESSION)).code();
    }

    @Test
    void aSessionJustCreatedByAJoinIsAuthenticatedWithoutAQuery() {
        JoinedRoom joined = join("Ann");
        statements.set(0);
        SessionContext session = sessions.authenticate(joined.sessionToken(), ErrorCode.INVALID_SESSION);
        assertEquals(0, statements.get());
        assertEquals("Ann", session.nickname());
        assertEquals(joined.roomToken(), session.roomToken());
    }

    @Test
    void aJustCreatedSessionIsAnsweredFromMemoryOnceThenFromTheDatabaseAlike() {
        JoinedRoom joined = join("Ann");
        SessionContext first = sessions.authenticate(joined.sessionToken(), ErrorCode.INVALID_SESSION);
        statements.set(0);
        SessionContext second = sessions.authenticate(joined.sessionToken(), ErrorCode.INVALID_SESSION);
        assertTrue(statements.get() > 0, "the second use reads the session row");
        assertEquals(first, second);
    }

    @Test
    void aJustCreatedSessionEndedAfterItsFirstUseIsRefused() {
        JoinedRoom joined = join("Ann");
        SessionContext session = sessions.authenticate(joined.sessionToken(), ErrorCode.INVALID_SESSION);
        sessions.end(session.sessionId());
        assertEquals(ErrorCode.INVALID_SESSION, authenticateError(joined.sessionToken()));
    }

    @Test
    void aJustCreatedSessionWhoseRoomExpiredAnswersRoomExpired() {
        JoinedRoom joined = join("Ann");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(ErrorCode.ROOM_EXPIRED, authenticateError(joined.sessionToken()));
    }

    @Test
    void anUnknownSessionTokenIsRefusedWithTheCodeAskedFor() {
        join("Ann");
        String unknown = new Tokens().newSessionToken();
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(GhostRoomsException.class,
                () -> sessions.authenticate(unknown, ErrorCode.UNAUTHORIZED)).code());
    }
}
