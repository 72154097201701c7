package io.ghostrooms.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.legacy.LegacyDao;
import io.ghostrooms.persistence.legacy.LegacyMemberRow;
import io.ghostrooms.persistence.legacy.LegacyMessageRow;
import io.ghostrooms.persistence.legacy.LegacyRoomRow;
import io.ghostrooms.persistence.legacy.LegacyRoomSummaryRow;
import io.ghostrooms.persistence.legacy.LegacyUserRow;
import io.ghostrooms.persistence.messages.MessageBatchDao;
import io.ghostrooms.persistence.messages.MessageDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.persistence.rooms.PublicRoomRow;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.persistence.sessions.SessionDao;
import io.ghostrooms.persistence.sessions.SessionRow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The DAO contract, run unchanged against every database we support. A subclass opens the database
 * (migrated by {@link Database#open}) once per class; every test starts from empty tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractDaoTest {

    /** Millisecond precision: both databases keep at least that, so round trips compare equal. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Database db;
    RoomDao rooms;
    SessionDao sessions;
    MessageDao messages;
    AttachmentDao attachments;

    /**
     * Opens and migrates the database under test; returns null when it is unavailable and the suite
     * should be skipped (every test then reports as skipped), or throws to fail the class.
     */
    protected abstract Database openDatabase();

    /** Releases whatever {@link #openDatabase()} created beyond the pool (called after the pool closed). */
    protected void releaseDatabase() {
    }

    @BeforeAll
    void openAndMigrate() {
        db = openDatabase();
        if (db == null) {
            return;
        }
        rooms = db.dao(RoomDao.class);
        sessions = db.dao(SessionDao.class);
        messages = db.dao(MessageDao.class);
        attachments = db.dao(AttachmentDao.class);
    }

    @AfterAll
    void close() {
        try {
            if (db != null) {
                db.close();
            }
        } finally {
            releaseDatabase();
        }
    }

    @BeforeEach
    void emptyTables() {
        Assumptions.assumeTrue(db != null, "database unavailable: suite skipped");
        db.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM attachments");
            h.execute("DELETE FROM messages");
            h.execute("DELETE FROM sessions");
            h.execute("DELETE FROM legacy_room_users");
            h.execute("DELETE FROM rooms");
            h.execute("DELETE FROM legacy_users");
        });
    }

    // ---------------------------------------------------------------- helpers

    static String token() {
        return "ghost-" + String.format("%08d", COUNTER.incrementAndGet());
    }

    long room(boolean isPublic, Instant createdAt, Instant expiresAt) {
        return rooms.insert(token(), "room", isPublic, false, 50, createdAt, expiresAt).orElseThrow();
    }

    long activeRoom() {
        return room(false, NOW, NOW.plus(Duration.ofHours(24)));
    }

    long session(long roomId, String nickname) {
        return members(m -> m.insertSession(hash(), roomId, nickname, nickname.toLowerCase(), NOW)).orElseThrow();
    }

    static String hash() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    static MessageRow message(long roomId, Long sessionId, Instant createdAt) {
        return new MessageRow(UUID.randomUUID().toString(), roomId, sessionId, "TEXT", "hi", "Ann", createdAt);
    }

    MessageRow storedMessage(long roomId) {
        MessageRow row = message(roomId, null, NOW);
        insertMessages(List.of(row));
        return row;
    }

    static AttachmentRow upload(String messageId, Instant createdAt) {
        String id = UUID.randomUUID().toString();
        return new AttachmentRow(id, messageId, "a.png", id + ".png", 1234, "image/png",
                "http://localhost:3000/api/files/" + id + ".png", createdAt);
    }

    int count(String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
    }

    static List<String> ids(List<MessageRow> rows) {
        return rows.stream().map(MessageRow::id).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- Database

    @Test
    void openDatabaseIsReachable() {
        assertTrue(db.isReachable());
    }

    @Test
    void migrationCreatesAllFourTables() {
        for (String table : List.of("rooms", "sessions", "messages", "attachments", "legacy_users", "legacy_room_users")) {
            assertEquals(0, count(table), table);
        }
    }

    // ---------------------------------------------------------------- rooms

    @Test
    void insertedRoomIsFoundByTokenWithAllFields() {
        Instant expires = NOW.plus(Duration.ofHours(2));
        long id = rooms.insert("ghost-abcd1234", "Lobby", true, false, 50, NOW, expires).orElseThrow();
        assertEquals(Optional.of(new RoomRow(id, "ghost-abcd1234", "Lobby", true, false, 50, NOW, expires)),
                rooms.findByToken("ghost-abcd1234"));
    }

    @Test
    void insertedRoomIsFoundById() {
        long id = rooms.insert("ghost-dm-a1b2c3", null, false, true, 2, NOW, NOW.plusSeconds(60)).orElseThrow();
        RoomRow row = rooms.findById(id).orElseThrow();
        assertEquals("ghost-dm-a1b2c3", row.token());
        assertNull(row.name());
        assertTrue(row.isDm());
        assertEquals(2, row.capacity());
    }

    @Test
    void insertReturnsDistinctGeneratedIds() {
        assertTrue(activeRoom() != activeRoom());
    }

    @Test
    void unknownTokenFindsNothing() {
        assertEquals(Optional.empty(), rooms.findByToken("ghost-nothere0"));
    }

    /** A taken token inserts nothing and raises nothing (ON CONFLICT DO NOTHING); the first room stays as it was. */
    @Test
    void insertOfATakenTokenReturnsEmptyAndKeepsTheFirstRoom() {
        long first = rooms.insert("ghost-samesame", null, false, false, 50, NOW, NOW.plusSeconds(60)).orElseThrow();
        assertEquals(Optional.empty(),
                rooms.insert("ghost-samesame", "Other", true, true, 2, NOW, NOW.plusSeconds(7200)));
        assertEquals(Optional.of(new RoomRow(first, "ghost-samesame", null, false, false, 50, NOW, NOW.plusSeconds(60))),
                rooms.findByToken("ghost-samesame"));
        assertEquals(1, count("rooms"));
    }

    @Test
    void insertOfATakenTokenInsideATransactionLeavesTheTransactionUsable() {
        rooms.insert("ghost-samesame", null, false, false, 50, NOW, NOW.plusSeconds(60)).orElseThrow();
        long other = db.jdbi().inTransaction(h -> {
            RoomDao dao = h.attach(RoomDao.class);
            assertEquals(Optional.empty(), dao.insert("ghost-samesame", null, false, false, 50, NOW, NOW));
            return dao.insert("ghost-another1", null, false, false, 50, NOW, NOW.plusSeconds(60)).orElseThrow();
        });
        assertEquals("ghost-another1", rooms.findById(other).orElseThrow().token());
    }

    /** The loser of two concurrent inserts of one token waits for the winner, gets empty, then reads the winner's row. */
    @Test
    void aConcurrentInsertOfTheSameTokenWaitsForTheWinnerAndThenSeesItsRow() throws Exception {
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> winner = pool.submit(() -> db.jdbi().inTransaction(h -> {
                long id = h.attach(RoomDao.class).insert("ghost-dm-racing", null, false, true, 2, NOW,
                        NOW.plusSeconds(60)).orElseThrow();
                inserted.countDown();
                release.await(5, TimeUnit.SECONDS);
                return id;
            }));
            assertTrue(inserted.await(5, TimeUnit.SECONDS));
            Thread timer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            });
            timer.start();
            Optional<RoomRow> seen = db.jdbi().inTransaction(h -> {
                RoomDao dao = h.attach(RoomDao.class);
                assertEquals(Optional.empty(), dao.insert("ghost-dm-racing", null, false, true, 2, NOW,
                        NOW.plusSeconds(60)));
                return dao.findByToken("ghost-dm-racing");
            });
            timer.join();
            assertEquals(winner.get(5, TimeUnit.SECONDS), seen.orElseThrow().id());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listActivePublicReturnsOnlyPublicUnexpiredRoomsNewestFirst() {
        room(true, NOW.minusSeconds(30), NOW.plusSeconds(3600));           // older public
        long newer = room(true, NOW.minusSeconds(10), NOW.plusSeconds(3600)); // newer public
        room(false, NOW.minusSeconds(5), NOW.plusSeconds(3600));           // private
        room(true, NOW.minusSeconds(1), NOW.minusSeconds(1));              // expired public
        List<PublicRoomRow> list = rooms.listActivePublic(NOW, 10);
        assertEquals(2, list.size());
        assertEquals(rooms.findById(newer).orElseThrow().token(), list.get(0).token());
        assertTrue(list.get(0).createdAt().isAfter(list.get(1).createdAt()));
    }

    @Test
    void listActivePublicTreatsExpiryAtNowAsExpired() {
        room(true, NOW.minusSeconds(10), NOW);
        assertEquals(List.of(), rooms.listActivePublic(NOW, 10));
    }

    @Test
    void listActivePublicCountsParticipants() {
        long busy = room(true, NOW.minusSeconds(10), NOW.plusSeconds(3600));
        long empty = room(true, NOW.minusSeconds(20), NOW.plusSeconds(3600));
        session(busy, "Ann");
        session(busy, "Bob");
        List<PublicRoomRow> list = rooms.listActivePublic(NOW, 10);
        assertEquals(List.of(2, 0), list.stream().map(PublicRoomRow::participantCount).collect(Collectors.toList()));
        assertEquals(rooms.findById(empty).orElseThrow().token(), list.get(1).token());
    }

    @Test
    void listActivePublicRoundTripsTimestampsAndName() {
        Instant created = NOW.minusSeconds(10);
        Instant expires = NOW.plusSeconds(3600);
        rooms.insert("ghost-pub00001", "Lobby", true, false, 50, created, expires);
        assertEquals(List.of(new PublicRoomRow("ghost-pub00001", "Lobby", 0, expires, created)),
                rooms.listActivePublic(NOW, 10));
    }

    @Test
    void listActivePublicHonoursLimit() {
        for (int i = 0; i < 5; i++) {
            room(true, NOW.minusSeconds(i), NOW.plusSeconds(3600));
        }
        assertEquals(3, rooms.listActivePublic(NOW, 3).size());
    }

    @Test
    void findExpiredReturnsRoomsWhoseExpiryIsNotAfterNowOldestExpiryFirst() {
        long later = room(false, NOW.minusSeconds(100), NOW.minusSeconds(1));
        long earlier = room(true, NOW.minusSeconds(100), NOW.minusSeconds(50));
        long atNow = room(false, NOW.minusSeconds(100), NOW);
        room(false, NOW.minusSeconds(100), NOW.plusSeconds(1));
        assertEquals(List.of(earlier, later, atNow),
                rooms.findExpired(NOW, 10).stream().map(RoomRow::id).collect(Collectors.toList()));
    }

    @Test
    void findExpiredHonoursLimit() {
        room(false, NOW.minusSeconds(100), NOW.minusSeconds(3));
        room(false, NOW.minusSeconds(100), NOW.minusSeconds(2));
        assertEquals(1, rooms.findExpired(NOW, 1).size());
    }

    @Test
    void countSessionsCountsOnlyThatRoom() {
        long a = activeRoom();
        long b = activeRoom();
        session(a, "Ann");
        session(a, "Bob");
        session(b, "Cid");
        assertEquals(2, rooms.countSessions(a));
    }

    @Test
    void deleteRoomReturnsOneThenZero() {
        long id = activeRoom();
        assertEquals(1, rooms.delete(id));
        assertEquals(0, rooms.delete(id));
    }

    @Test
    void deletingARoomCascadesToSessionsMessagesAndAttachments() {
        long id = activeRoom();
        long sessionId = session(id, "Ann");
        MessageRow msg = message(id, sessionId, NOW);
        insertMessages(List.of(msg));
        AttachmentRow file = upload(msg.id(), NOW);
        attachments.insert(file);

        rooms.delete(id);

        assertEquals(Optional.empty(), rooms.findById(id));
        assertEquals(0, rooms.countSessions(id));
        assertEquals(Optional.empty(), messages.findById(msg.id()));
        assertEquals(Optional.empty(), attachments.findById(file.id()));
    }

    @Test
    void deletingARoomLeavesOtherRoomsAlone() {
        long doomed = activeRoom();
        long kept = activeRoom();
        MessageRow keptMessage = storedMessage(kept);
        session(kept, "Ann");
        rooms.delete(doomed);
        assertEquals(1, rooms.countSessions(kept));
        assertTrue(messages.findById(keptMessage.id()).isPresent());
    }

    @Test
    void lockRoomReturnsTheRoomInsideATransaction() {
        long id = activeRoom();
        RoomRow locked = db.jdbi().inTransaction(h -> new MembershipDao(h).lockRoom(id)).orElseThrow();
        assertEquals(id, locked.id());
    }

    @Test
    void lockRoomReadsTheRowAsFindByIdDoes() {
        long id = room(true, NOW, NOW.plusSeconds(3600));
        assertEquals(rooms.findById(id), db.jdbi().inTransaction(h -> new MembershipDao(h).lockRoom(id)));
    }

    @Test
    void lockRoomOfMissingRoomIsEmpty() {
        assertEquals(Optional.empty(), db.jdbi().inTransaction(h -> new MembershipDao(h).lockRoom(-1L)));
    }

    @Test
    void lockRoomAllowsCapacityCheckAndInsertInOneTransaction() {
        long id = room(false, NOW, NOW.plusSeconds(3600));
        boolean joined = db.jdbi().inTransaction(h -> {
            RoomRow room = new MembershipDao(h).lockRoom(id).orElseThrow();
            if (new MembershipDao(h).occupancy(id, "ann").members() >= room.capacity()) {
                return false;
            }
            new MembershipDao(h).insertSession(hash(), id, "Ann", "ann", NOW);
            return true;
        });
        assertTrue(joined);
        assertEquals(1, rooms.countSessions(id));
    }

    @Test
    void lockRoomMakesASecondLockerWaitForTheFirstToCommit() throws Exception {
        long id = activeRoom();
        int seen = whileAJoinHoldsTheLock(id, h -> {
            new MembershipDao(h).lockRoom(id).orElseThrow();
            return new MembershipDao(h).occupancy(id, "bob").members();
        });
        assertEquals(1, seen, "the second locker must see the first one's committed join");
    }

    /**
     * Starts a join of "Ann" that locks the room, holds the lock 300 ms and then inserts; once it
     * holds the lock, runs {@code second} in its own transaction and returns its result.
     */
    private <T> T whileAJoinHoldsTheLock(long roomId, org.jdbi.v3.core.HandleCallback<T, Exception> second)
            throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> first = pool.submit(() -> db.jdbi().inTransaction(h -> {
                new MembershipDao(h).lockRoom(roomId).orElseThrow();
                locked.countDown();
                Thread.sleep(300);
                return new MembershipDao(h).insertSession(hash(), roomId, "Ann", "ann", NOW).orElseThrow();
            }));
            assertTrue(locked.await(5, TimeUnit.SECONDS));
            T result = db.jdbi().inTransaction(second);
            first.get(5, TimeUnit.SECONDS);
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void insertSessionIfRoomInsertsWhileTheRoomHasSpace() {
        long id = activeRoom();
        session(id, "Ann");
        OptionalLong inserted = members(m -> m.insertSessionIfRoom(hash(), id, "Bob", "bob", NOW, 2));
        assertTrue(inserted.isPresent());
        assertEquals(2, rooms.countSessions(id));
    }

    @Test
    void insertSessionIfRoomRefusesAFullRoom() {
        long id = activeRoom();
        session(id, "Ann");
        assertEquals(OptionalLong.empty(), members(m -> m.insertSessionIfRoom(hash(), id, "Bob", "bob", NOW, 1)));
        assertEquals(1, rooms.countSessions(id));
    }

    @Test
    void insertSessionIfRoomRefusesANicknameHeldInTheRoom() {
        long id = activeRoom();
        session(id, "Ann");
        assertEquals(OptionalLong.empty(), members(m -> m.insertSessionIfRoom(hash(), id, "ANN", "ann", NOW, 50)));
        assertEquals(1, rooms.countSessions(id));
    }

    /** The second joiner's insert runs after it got the lock, so it counts the first joiner's commit. */
    @Test
    void insertSessionIfRoomAfterTheLockCountsTheJoinThatHeldIt() throws Exception {
        long id = activeRoom();
        OptionalLong second = whileAJoinHoldsTheLock(id, h -> {
            new MembershipDao(h).lockRoom(id).orElseThrow();
            return new MembershipDao(h).insertSessionIfRoom(hash(), id, "Bob", "bob", NOW, 1);
        });
        assertEquals(OptionalLong.empty(), second, "a room of one must refuse the second joiner");
        assertEquals(1, rooms.countSessions(id));
    }

    // ---------------------------------------------------------------- room controls

    @Test
    void aRoomInsertedWithoutControlsHasNoOwnerNoPasswordAndIsNeitherLockedNorVanishing() {
        long id = activeRoom();
        RoomRow row = rooms.findById(id).orElseThrow();
        assertNull(row.ownerTokenHash());
        assertNull(row.passwordHash());
        assertFalse(row.locked());
        assertFalse(row.vanishWhenEmpty());
    }

    @Test
    void insertWithControlsRoundTripsEveryField() {
        String owner = hash();
        String password = "pbkdf2-sha256$210000$" + "A".repeat(22) + "$" + "B".repeat(43);
        Instant expires = NOW.plusSeconds(3600);
        long id = rooms.insertWithControls("ghost-ctl00001", "Den", true, false, 50, NOW, expires, owner, password, true)
                .orElseThrow();
        RoomRow expected = new RoomRow(id, "ghost-ctl00001", "Den", true, false, 50, NOW, expires, owner, password,
                false, true);
        assertEquals(Optional.of(expected), rooms.findByToken("ghost-ctl00001"));
        assertEquals(Optional.of(expected), rooms.findById(id));
        assertEquals(Optional.of(expected), db.jdbi().inTransaction(h -> new MembershipDao(h).lockRoom(id)));
    }

    @Test
    void insertWithControlsOfATakenTokenReturnsEmptyWithoutRaising() {
        rooms.insertWithControls("ghost-ctl00002", null, false, false, 50, NOW, NOW.plusSeconds(60), hash(), null, false)
                .orElseThrow();
        assertEquals(Optional.empty(), rooms.insertWithControls("ghost-ctl00002", null, false, false, 50, NOW,
                NOW.plusSeconds(60), hash(), null, false));
        assertEquals(1, count("rooms"));
    }

    @Test
    void setExpiryMovesTheEndOfALiveRoomEitherWay() {
        long id = activeRoom();
        Instant later = NOW.plus(Duration.ofHours(100));
        assertEquals(1, rooms.setExpiry(id, later, NOW));
        assertEquals(later, rooms.findById(id).orElseThrow().expiresAt());
        Instant sooner = NOW.plusSeconds(60);
        assertEquals(1, rooms.setExpiry(id, sooner, NOW));
        assertEquals(sooner, rooms.findById(id).orElseThrow().expiresAt());
    }

    @Test
    void setExpiryLeavesAnEndedOrMissingRoomAlone() {
        long ended = room(false, NOW.minusSeconds(100), NOW);
        assertEquals(0, rooms.setExpiry(ended, NOW.plusSeconds(3600), NOW));
        assertEquals(NOW, rooms.findById(ended).orElseThrow().expiresAt());
        assertEquals(0, rooms.setExpiry(-1L, NOW.plusSeconds(3600), NOW));
    }

    @Test
    void setLockedLocksAndUnlocksALiveRoomOnly() {
        long id = activeRoom();
        assertEquals(1, rooms.setLocked(id, true, NOW));
        assertTrue(rooms.findById(id).orElseThrow().locked());
        assertEquals(1, rooms.setLocked(id, false, NOW));
        assertFalse(rooms.findById(id).orElseThrow().locked());
        long ended = room(false, NOW.minusSeconds(100), NOW.minusSeconds(1));
        assertEquals(0, rooms.setLocked(ended, true, NOW));
        assertFalse(rooms.findById(ended).orElseThrow().locked());
    }

    @Test
    void findVanishWhenEmptyListsLiveVanishingRoomsOnly() {
        long vanishing = rooms.insertWithControls(token(), null, false, false, 50, NOW, NOW.plusSeconds(600), hash(),
                null, true).orElseThrow();
        rooms.insertWithControls(token(), null, false, false, 50, NOW, NOW.plusSeconds(600), hash(), null, false);
        rooms.insertWithControls(token(), null, false, false, 50, NOW.minusSeconds(100), NOW, hash(), null, true);
        assertEquals(List.of(vanishing), rooms.findVanishWhenEmpty(NOW, 10).stream().map(RoomRow::id)
                .collect(Collectors.toList()));
    }

    @Test
    void findIdByNicknameKeyFindsTheSessionOfThatRoomOnly() {
        long a = activeRoom();
        long b = activeRoom();
        long ann = session(a, "Ann");
        session(b, "Bob");
        assertEquals(Optional.of(ann), sessions.findIdByNicknameKey(a, "ann"));
        assertEquals(Optional.empty(), sessions.findIdByNicknameKey(a, "bob"));
        assertEquals(Optional.empty(), sessions.findIdByNicknameKey(b, "ann"));
    }

    @Test
    void anyActiveInRoomSinceSeesOnlyThatRoomsSessionsActiveAfterTheInstant() {
        long a = activeRoom();
        long b = activeRoom();
        long ann = session(a, "Ann"); // active at NOW
        session(b, "Bob");
        assertTrue(sessions.anyActiveInRoomSince(a, NOW.minusSeconds(1)));
        assertFalse(sessions.anyActiveInRoomSince(a, NOW));
        sessions.touch(List.of(ann), NOW.plusSeconds(30));
        assertTrue(sessions.anyActiveInRoomSince(a, NOW.plusSeconds(10)));
        assertFalse(sessions.anyActiveInRoomSince(activeRoom(), NOW.minusSeconds(100)));
    }

    @Test
    void aRoomRowNeverShowsItsTokenOrHashesAsText() {
        RoomRow row = new RoomRow(1, "ghost-secret01", "n", false, false, 50, NOW, NOW, "f".repeat(64),
                "pbkdf2-sha256$1$salt$hash", false, false);
        assertFalse(row.toString().contains("ghost-secret01"));
        assertFalse(row.toString().contains("ffff"));
        assertFalse(row.toString().contains("pbkdf2"));
    }

    // ---------------------------------------------------------------- sessions

    private void insertMessages(List<MessageRow> rows) {
        db.jdbi().useTransaction(h -> new MessageBatchDao(h).insertAll(rows));
    }

    private <T> T members(java.util.function.Function<MembershipDao, T> statements) {
        return db.jdbi().inTransaction(h -> statements.apply(new MembershipDao(h)));
    }

    @Test
    void insertedSessionIsFoundByTokenHash() {
        long roomId = activeRoom();
        String hash = hash();
        long id = members(m -> m.insertSession(hash, roomId, "Ann", "ann", NOW)).orElseThrow();
        assertEquals(Optional.of(new SessionRow(id, hash, roomId, "Ann", NOW, NOW)), sessions.findByTokenHash(hash));
    }

    @Test
    void unknownTokenHashFindsNothing() {
        assertEquals(Optional.empty(), sessions.findByTokenHash(hash()));
    }

    /** A nickname key taken in the room inserts nothing and raises nothing. */
    @Test
    void nicknameKeyIsUniqueWithinARoom() {
        long roomId = activeRoom();
        members(m -> m.insertSession(hash(), roomId, "Ann", "ann", NOW)).orElseThrow();
        assertEquals(OptionalLong.empty(), members(m -> m.insertSession(hash(), roomId, "ANN", "ann", NOW)));
        assertEquals(1, rooms.countSessions(roomId));
        assertTrue(members(m -> m.occupancy(roomId, "ann")).nicknameTaken());
    }

    @Test
    void sameNicknameMayBeUsedInDifferentRooms() {
        session(activeRoom(), "Ann");
        session(activeRoom(), "Ann");
        assertEquals(2, count("sessions"));
    }

    /** A token hash taken (in any room) inserts nothing and raises nothing. */
    @Test
    void tokenHashIsUnique() {
        long roomId = activeRoom();
        long other = activeRoom();
        String hash = hash();
        members(m -> m.insertSession(hash, roomId, "Ann", "ann", NOW)).orElseThrow();
        assertEquals(OptionalLong.empty(), members(m -> m.insertSession(hash, roomId, "Bob", "bob", NOW)));
        assertEquals(OptionalLong.empty(), members(m -> m.insertSession(hash, other, "Cid", "cid", NOW)));
        assertEquals(1, count("sessions"));
    }

    @Test
    void insertSessionIfRoomOfATakenTokenHashIsEmptyWithoutRaising() {
        long roomId = activeRoom();
        String hash = hash();
        session(roomId, "Ann");
        members(m -> m.insertSession(hash, activeRoom(), "Bob", "bob", NOW)).orElseThrow();
        assertEquals(OptionalLong.empty(), members(m -> m.insertSessionIfRoom(hash, roomId, "Cid", "cid", NOW, 50)));
        assertEquals(1, rooms.countSessions(roomId));
    }

    /**
     * A nickname key the checks of insertSessionIfRoom cannot see (committed by a join that took no
     * room lock, after this statement's snapshot) is refused by the unique key: empty, not an error.
     */
    @Test
    void insertSessionIfRoomRacingAnUnlockedInsertOfTheSameNicknameIsEmptyWithoutRaising() throws Exception {
        long roomId = activeRoom();
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> first = pool.submit(() -> db.jdbi().inTransaction(h -> {
                long id = new MembershipDao(h).insertSession(hash(), roomId, "Ann", "ann", NOW).orElseThrow();
                inserted.countDown();
                release.await(5, TimeUnit.SECONDS);
                return id;
            }));
            assertTrue(inserted.await(5, TimeUnit.SECONDS));
            new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            }).start();
            OptionalLong second = members(m -> m.insertSessionIfRoom(hash(), roomId, "ANN", "ann", NOW, 50));
            first.get(5, TimeUnit.SECONDS);
            assertEquals(OptionalLong.empty(), second);
            assertEquals(1, rooms.countSessions(roomId));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sessionNeedsAnExistingRoom() {
        assertThrows(StatementFailedException.class,
                () -> members(m -> m.insertSession(hash(), -1L, "Ann", "ann", NOW)));
    }

    @Test
    void occupancyCountsTheMembersOfThatRoomAndSeesItsNicknameKeysOnly() {
        long a = activeRoom();
        long b = activeRoom();
        session(a, "Ann");
        session(a, "Bob");
        session(b, "Cid");
        assertEquals(new MembershipDao.Occupancy(2, true), members(m -> m.occupancy(a, "ann")));
        assertEquals(new MembershipDao.Occupancy(1, false), members(m -> m.occupancy(b, "ann")));
    }

    @Test
    void occupancyOfAnEmptyRoomIsZeroAndFree() {
        long id = activeRoom();
        assertEquals(new MembershipDao.Occupancy(0, false), members(m -> m.occupancy(id, "ann")));
    }

    @Test
    void touchUpdatesLastActiveAtOfTheGivenSessionsOnly() {
        long roomId = activeRoom();
        String touchedHash = hash();
        String otherHash = hash();
        long touched = members(m -> m.insertSession(touchedHash, roomId, "Ann", "ann", NOW)).orElseThrow();
        long alsoTouched = session(roomId, "Bob");
        members(m -> m.insertSession(otherHash, roomId, "Cid", "cid", NOW));
        Instant later = NOW.plusSeconds(90);

        sessions.touch(List.of(touched, alsoTouched), later);

        SessionRow row = sessions.findByTokenHash(touchedHash).orElseThrow();
        assertEquals(later, row.lastActiveAt());
        assertEquals(NOW, row.createdAt());
        assertEquals(NOW, sessions.findByTokenHash(otherHash).orElseThrow().lastActiveAt());
    }

    @Test
    void touchWithNoIdsDoesNothing() {
        sessions.touch(List.of(), NOW);
    }

    @Test
    void findInactiveSinceReturnsSessionsLastActiveBeforeTheCutoff() {
        long roomId = activeRoom();
        long stale = session(roomId, "Ann");
        long fresh = session(roomId, "Bob");
        long exactlyAtCutoff = session(roomId, "Cid");
        Instant cutoff = NOW.plusSeconds(60);
        sessions.touch(List.of(fresh), NOW.plusSeconds(120));
        sessions.touch(List.of(exactlyAtCutoff), cutoff);
        assertEquals(List.of(stale), sessions.findInactiveSince(cutoff));
    }

    @Test
    void deleteSessionIsTrueThenFalse() {
        long id = session(activeRoom(), "Ann");
        boolean first = members(m -> m.deleteSession(id));
        boolean second = members(m -> m.deleteSession(id));
        assertTrue(first);
        assertFalse(second);
    }

    @Test
    void deletingASessionKeepsItsMessagesWithoutSession() {
        long roomId = activeRoom();
        long sessionId = session(roomId, "Ann");
        MessageRow msg = message(roomId, sessionId, NOW);
        insertMessages(List.of(msg));

        members(m -> m.deleteSession(sessionId));

        MessageRow kept = messages.findById(msg.id()).orElseThrow();
        assertNull(kept.sessionId());
        assertEquals("Ann", kept.nickname());
    }

    @Test
    void deletingASessionFreesItsNickname() {
        long roomId = activeRoom();
        long id = session(roomId, "Ann");
        members(m -> m.deleteSession(id));
        session(roomId, "Ann");
        assertTrue(members(m -> m.occupancy(roomId, "ann")).nicknameTaken());
    }

    // ---------------------------------------------------------------- messages

    @Test
    void insertedMessageRoundTripsAllFields() {
        long roomId = activeRoom();
        long sessionId = session(roomId, "Ann");
        MessageRow row = new MessageRow(UUID.randomUUID().toString(), roomId, sessionId, "STICKER", "cat-1", "Ann",
                NOW);
        insertMessages(List.of(row));
        assertEquals(Optional.of(row), messages.findById(row.id()));
    }

    @Test
    void messageContentMayBeNull() {
        long roomId = activeRoom();
        MessageRow row = new MessageRow(UUID.randomUUID().toString(), roomId, null, "IMAGE", null, "Ann", NOW);
        insertMessages(List.of(row));
        assertNull(messages.findById(row.id()).orElseThrow().content());
    }

    @Test
    void longMessageContentIsStoredWhole() {
        long roomId = activeRoom();
        String content = "x".repeat(5000);
        MessageRow row = new MessageRow(UUID.randomUUID().toString(), roomId, null, "TEXT", content, "Ann", NOW);
        insertMessages(List.of(row));
        assertEquals(content, messages.findById(row.id()).orElseThrow().content());
    }

    @Test
    void insertAllStoresABatchAcrossRooms() {
        long a = activeRoom();
        long b = activeRoom();
        insertMessages(List.of(message(a, null, NOW), message(b, null, NOW), message(a, null, NOW)));
        assertEquals(2, messages.countInRoom(a));
        assertEquals(1, messages.countInRoom(b));
    }

    @Test
    void insertAllIsAllOrNothingInsideATransaction() {
        long roomId = activeRoom();
        MessageRow first = message(roomId, null, NOW);
        MessageRow duplicate = new MessageRow(first.id(), roomId, null, "TEXT", "again", "Ann", NOW);
        assertThrows(RuntimeException.class, () -> db.jdbi().useTransaction(h ->
                new MessageBatchDao(h).insertAll(List.of(first, message(roomId, null, NOW), duplicate))));
        assertEquals(0, messages.countInRoom(roomId));
    }

    @Test
    void latestIsNewestFirst() {
        long roomId = activeRoom();
        MessageRow old = message(roomId, null, NOW.minusSeconds(20));
        MessageRow mid = message(roomId, null, NOW.minusSeconds(10));
        MessageRow recent = message(roomId, null, NOW);
        insertMessages(List.of(mid, recent, old));
        assertEquals(ids(List.of(recent, mid, old)), ids(messages.latest(roomId, 10)));
    }

    @Test
    void latestBreaksCreatedAtTiesByInsertionOrder() {
        long roomId = activeRoom();
        List<MessageRow> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(message(roomId, null, NOW));
        }
        insertMessages(batch);
        List<MessageRow> expected = new ArrayList<>(batch);
        java.util.Collections.reverse(expected);
        assertEquals(ids(expected), ids(messages.latest(roomId, 10)));
    }

    @Test
    void latestBreaksTiesByInsertionOrderAcrossBatches() {
        long roomId = activeRoom();
        MessageRow first = message(roomId, null, NOW);
        MessageRow second = message(roomId, null, NOW);
        insertMessages(List.of(first));
        insertMessages(List.of(second));
        assertEquals(ids(List.of(second, first)), ids(messages.latest(roomId, 10)));
    }

    @Test
    void latestHonoursLimitAndRoom() {
        long roomId = activeRoom();
        long other = activeRoom();
        MessageRow a = message(roomId, null, NOW.minusSeconds(3));
        MessageRow b = message(roomId, null, NOW.minusSeconds(2));
        MessageRow c = message(roomId, null, NOW.minusSeconds(1));
        insertMessages(List.of(a, b, c, message(other, null, NOW)));
        assertEquals(ids(List.of(c, b)), ids(messages.latest(roomId, 2)));
    }

    @Test
    void latestBeforePagesBackStrictlyBeforeTheInstant() {
        long roomId = activeRoom();
        List<MessageRow> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(message(roomId, null, NOW.plusSeconds(i)));
        }
        insertMessages(rows);
        assertEquals(ids(List.of(rows.get(2), rows.get(1))),
                ids(messages.latestBefore(roomId, NOW.plusSeconds(3), 2)));
    }

    @Test
    void latestBeforeReachesTheOldestPage() {
        long roomId = activeRoom();
        List<MessageRow> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(message(roomId, null, NOW.plusSeconds(i)));
        }
        insertMessages(rows);
        List<MessageRow> page = messages.latestBefore(roomId, rows.get(2).createdAt(), 10);
        assertEquals(ids(List.of(rows.get(1), rows.get(0))), ids(page));
        assertEquals(List.of(), messages.latestBefore(roomId, rows.get(0).createdAt(), 10));
    }

    @Test
    void deleteMessageReturnsOneThenZero() {
        MessageRow msg = storedMessage(activeRoom());
        assertEquals(1, messages.delete(msg.id()));
        assertEquals(0, messages.delete(msg.id()));
        assertEquals(Optional.empty(), messages.findById(msg.id()));
    }

    @Test
    void deletingAMessageDeletesItsAttachments() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow file = upload(msg.id(), NOW);
        attachments.insert(file);
        messages.delete(msg.id());
        assertEquals(Optional.empty(), attachments.findById(file.id()));
    }

    @Test
    void messageNeedsAnExistingRoom() {
        assertThrows(StatementFailedException.class,
                () -> insertMessages(List.of(message(-1L, null, NOW))));
    }

    // ---------------------------------------------------------------- attachments

    @Test
    void insertedAttachmentRoundTripsAllFields() {
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        assertEquals(Optional.of(file), attachments.findById(file.id()));
    }

    @Test
    void attachmentIsFoundByStoredName() {
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        assertEquals(Optional.of(file), attachments.findByStoredName(file.storedName()));
    }

    @Test
    void storedNameIsUnique() {
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        AttachmentRow clash = new AttachmentRow(UUID.randomUUID().toString(), null, "b.png", file.storedName(), 1,
                "image/png", "http://x", NOW);
        assertThrows(UnableToExecuteStatementException.class, () -> attachments.insert(clash));
    }

    @Test
    void claimBindsUnclaimedUploadsToTheMessage() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow a = upload(null, NOW);
        AttachmentRow b = upload(null, NOW);
        attachments.insert(a);
        attachments.insert(b);

        int[] counts = attachments.claim(List.of(a.id(), b.id()), List.of(msg.id(), msg.id()));

        assertArrayEquals(new int[] {1, 1}, counts);
        assertEquals(msg.id(), attachments.findById(a.id()).orElseThrow().messageId());
        assertEquals(msg.id(), attachments.findById(b.id()).orElseThrow().messageId());
    }

    @Test
    void claimLeavesAnAlreadyClaimedUploadAloneAndCountsZero() {
        long roomId = activeRoom();
        MessageRow first = storedMessage(roomId);
        MessageRow second = storedMessage(roomId);
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        attachments.claim(List.of(file.id()), List.of(first.id()));

        int[] counts = attachments.claim(List.of(file.id()), List.of(second.id()));

        assertArrayEquals(new int[] {0}, counts);
        assertEquals(first.id(), attachments.findById(file.id()).orElseThrow().messageId());
    }

    @Test
    void claimOfAnUnknownUploadCountsZero() {
        MessageRow msg = storedMessage(activeRoom());
        assertArrayEquals(new int[] {0}, attachments.claim(List.of(UUID.randomUUID().toString()), List.of(msg.id())));
    }

    @Test
    void forMessagesReturnsTheAttachmentsOfTheGivenMessagesOnly() {
        long roomId = activeRoom();
        MessageRow m1 = storedMessage(roomId);
        MessageRow m2 = storedMessage(roomId);
        MessageRow m3 = storedMessage(roomId);
        AttachmentRow a1 = upload(m1.id(), NOW);
        AttachmentRow a2 = upload(m2.id(), NOW);
        AttachmentRow a3 = upload(m3.id(), NOW);
        AttachmentRow unclaimed = upload(null, NOW);
        for (AttachmentRow row : List.of(a1, a2, a3, unclaimed)) {
            attachments.insert(row);
        }
        List<AttachmentRow> found = attachments.forMessages(List.of(m1.id(), m2.id()));
        assertEquals(new HashSet<>(List.of(a1, a2)), new HashSet<>(found));
        assertEquals(2, found.size());
    }

    @Test
    void forMessagesOrdersAMessagesAttachmentsByCreation() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow second = upload(msg.id(), NOW.plusSeconds(1));
        AttachmentRow first = upload(msg.id(), NOW);
        attachments.insert(second);
        attachments.insert(first);
        assertEquals(List.of(first, second), attachments.forMessages(List.of(msg.id())));
    }

    @Test
    void storedNamesInRoomListsClaimedFilesOfThatRoomOnly() {
        long roomId = activeRoom();
        long other = activeRoom();
        MessageRow here = storedMessage(roomId);
        MessageRow there = storedMessage(other);
        AttachmentRow mine = upload(here.id(), NOW);
        attachments.insert(mine);
        attachments.insert(upload(there.id(), NOW));
        attachments.insert(upload(null, NOW));
        assertEquals(List.of(mine.storedName()), attachments.storedNamesInRoom(roomId));
    }

    @Test
    void storedNamesOfMessageListsItsFiles() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow file = upload(msg.id(), NOW);
        attachments.insert(file);
        assertEquals(List.of(file.storedName()), attachments.storedNamesOfMessage(msg.id()));
    }

    @Test
    void findUnclaimedBeforeReturnsOnlyOldUnclaimedUploads() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow oldUnclaimed = upload(null, NOW.minusSeconds(3600));
        AttachmentRow oldClaimed = upload(msg.id(), NOW.minusSeconds(3600));
        AttachmentRow freshUnclaimed = upload(null, NOW);
        for (AttachmentRow row : List.of(oldUnclaimed, oldClaimed, freshUnclaimed)) {
            attachments.insert(row);
        }
        assertEquals(List.of(oldUnclaimed), attachments.findUnclaimedBefore(NOW.minusSeconds(60)));
    }

    @Test
    void deleteUnclaimedDeletesAnUnclaimedUpload() {
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        assertEquals(1, attachments.deleteUnclaimed(file.id()));
        assertEquals(Optional.empty(), attachments.findById(file.id()));
    }

    @Test
    void deleteUnclaimedKeepsAClaimedUpload() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow file = upload(msg.id(), NOW);
        attachments.insert(file);
        assertEquals(0, attachments.deleteUnclaimed(file.id()));
        assertTrue(attachments.findById(file.id()).isPresent());
    }

    @Test
    void allStoredNamesListsClaimedAndUnclaimedFiles() {
        MessageRow msg = storedMessage(activeRoom());
        AttachmentRow claimed = upload(msg.id(), NOW);
        AttachmentRow unclaimed = upload(null, NOW);
        attachments.insert(claimed);
        attachments.insert(unclaimed);
        assertEquals(new HashSet<>(List.of(claimed.storedName(), unclaimed.storedName())),
                new HashSet<>(attachments.allStoredNames()));
    }

    @Test
    void unclaimedUploadSurvivesRoomDeletion() {
        // Unclaimed uploads belong to no room: cleanup finds them with findUnclaimedBefore instead.
        long roomId = activeRoom();
        AttachmentRow file = upload(null, NOW);
        attachments.insert(file);
        rooms.delete(roomId);
        assertFalse(attachments.findById(file.id()).isEmpty());
    }

    // ---------------------------------------------------------------- Unicode widths (V2)
    // Our length rules count code points; H2 counts a VARCHAR's length in UTF-16 units, so the
    // longest valid values written with letters outside the BMP (two units each) must still fit.

    /** Deseret capital letters U+10400.. (their small letters are U+10428..): non-BMP letters with case. */
    private static final int DESERET_CAPITAL = 0x10400;
    /** Mathematical bold A..Z, a..z (U+1D400..U+1D433): non-BMP letters without case mappings. */
    private static final int MATH_BOLD = 0x1D400;

    /** {@code count} code points starting at {@code first}, cycling through {@code span} of them. */
    static String codePoints(int first, int span, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.appendCodePoint(first + i % span);
        }
        return sb.toString();
    }

    /** The fold the server keys nicknames by (io.ghostrooms.server.common.Text#fold: upper, then lower case). */
    private static String fold(String s) {
        String once = s.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
        return once.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
    }

    private String storedNicknameKey(long sessionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT nickname_key FROM sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).one());
    }

    @Test
    void aNicknameOfTwentyNonBmpLettersAndItsFoldRoundTrip() {
        long roomId = activeRoom();
        String nickname = codePoints(DESERET_CAPITAL, 40, 20);
        String key = fold(nickname);
        assertEquals(40, nickname.length(), "20 code points, 40 UTF-16 units");
        assertEquals(codePoints(DESERET_CAPITAL + 0x28, 40, 20), key, "the fold is the Deseret small letters");
        String hash = hash();

        long id = members(m -> m.insertSession(hash, roomId, nickname, key, NOW)).orElseThrow();

        assertEquals(nickname, sessions.findByTokenHash(hash).orElseThrow().nickname());
        assertEquals(key, storedNicknameKey(id));
        assertTrue(members(m -> m.occupancy(roomId, key)).nicknameTaken());
    }

    @Test
    void aNicknameOfTwentyNonBmpLettersJoinsThroughTheCheckedInsert() {
        long roomId = activeRoom();
        String nickname = codePoints(DESERET_CAPITAL, 40, 20);
        assertTrue(members(m -> m.insertSessionIfRoom(hash(), roomId, nickname, fold(nickname), NOW, 50)).isPresent());
        assertEquals(1, rooms.countSessions(roomId));
    }

    /** U+0390 upper-cases to three chars: 20 of them fold to 60 UTF-16 units, three times the nickname. */
    @Test
    void theLongestFoldOfATwentyCodePointNicknameFitsItsKey() {
        long roomId = activeRoom();
        String nickname = "\u0390".repeat(20);
        String key = fold(nickname);
        assertEquals(60, key.length());
        long id = members(m -> m.insertSession(hash(), roomId, nickname, key, NOW)).orElseThrow();
        assertEquals(key, storedNicknameKey(id));
    }

    /** 'İ' (U+0130) lower-cases to two chars: the key is longer than the nickname. */
    @Test
    void aFoldLongerThanItsNicknameIsStoredWhole() {
        long roomId = activeRoom();
        String nickname = "\u0130".repeat(20);
        String key = fold(nickname);
        assertEquals(40, key.length());
        long id = members(m -> m.insertSession(hash(), roomId, nickname, key, NOW)).orElseThrow();
        assertEquals(key, storedNicknameKey(id));
    }

    @Test
    void aMessageNicknameOfTwentyNonBmpLettersRoundTrips() {
        long roomId = activeRoom();
        MessageRow row = new MessageRow(UUID.randomUUID().toString(), roomId, null, "TEXT", "hi",
                codePoints(DESERET_CAPITAL, 40, 20), NOW);
        insertMessages(List.of(row));
        assertEquals(Optional.of(row), messages.findById(row.id()));
    }

    @Test
    void aRoomNameOfAHundredNonBmpCodePointsRoundTrips() {
        String name = codePoints(MATH_BOLD, 52, 100);
        assertEquals(200, name.length());
        long id = rooms.insert("ghost-unicode1", name, true, false, 50, NOW, NOW.plusSeconds(3600)).orElseThrow();
        assertEquals(name, rooms.findById(id).orElseThrow().name());
        assertEquals(name, rooms.listActivePublic(NOW, 10).get(0).name());
    }

    @Test
    void aFileNameOf255NonBmpCodePointsRoundTrips() {
        String id = UUID.randomUUID().toString();
        String fileName = codePoints(MATH_BOLD, 52, 251) + ".png";
        assertEquals(255, fileName.codePointCount(0, fileName.length()));
        AttachmentRow file = new AttachmentRow(id, null, fileName, id + ".png", 1, "image/png", "http://x/" + id, NOW);
        attachments.insert(file);
        assertEquals(Optional.of(file), attachments.findById(id));
    }

    @Test
    void aFileNameOf255NonBmpCodePointsWithoutAsciiRoundTrips() {
        String id = UUID.randomUUID().toString();
        String fileName = codePoints(DESERET_CAPITAL, 80, 255);
        assertEquals(510, fileName.length());
        AttachmentRow file = new AttachmentRow(id, null, fileName, id, 1, "application/octet-stream", "http://x/" + id, NOW);
        attachments.insert(file);
        assertEquals(fileName, attachments.findById(id).orElseThrow().fileName());
    }

    // ---------------------------------------------------------------- legacy (ChatBackEnd API)

    LegacyDao legacy() {
        return db.dao(LegacyDao.class);
    }

    long legacyRoom(String legacyId, Instant createdAt, Instant expiresAt, int capacity) {
        return legacy().insertRoom(legacyId, "legacy-" + String.format("%025d", COUNTER.incrementAndGet()), "Chat",
                capacity, createdAt, expiresAt).orElseThrow();
    }

    @Test
    void legacyUsersAreInsertedOnceAndRenamed() {
        assertEquals(1, legacy().insertUser("u-1", "Ann", NOW));
        assertEquals(0, legacy().insertUser("u-1", "Other", NOW), "a taken id inserts nothing, raising nothing");
        assertEquals(Optional.of(new LegacyUserRow("u-1", "Ann", NOW, NOW)), legacy().findUser("u-1"));
        Instant later = NOW.plusSeconds(5);
        assertEquals(1, legacy().renameUser("u-1", "Annie", later));
        assertEquals(Optional.of(new LegacyUserRow("u-1", "Annie", NOW, later)), legacy().findUser("u-1"));
        assertEquals(0, legacy().renameUser("nobody", "X", later));
    }

    @Test
    void aLegacyRoomIsFoundByItsLegacyIdOnlyAndIsNeverPublic() {
        String legacyId = UUID.randomUUID().toString();
        Instant expires = NOW.plus(Duration.ofHours(1));
        long id = legacyRoom(legacyId, NOW, expires, 50);
        LegacyRoomRow row = legacy().findRoom(legacyId).orElseThrow();
        assertEquals(id, row.id());
        assertEquals("Chat", row.name());
        assertEquals(expires, row.expiresAt());
        assertTrue(row.token().startsWith("legacy-"));
        assertEquals(List.of(), rooms.listActivePublic(NOW, 10), "a legacy room is never in the public list");
        long tokenRoom = activeRoom();
        String tokenOfTokenRoom = rooms.findById(tokenRoom).orElseThrow().token();
        assertEquals(Optional.empty(), legacy().findRoom(tokenOfTokenRoom));
        assertEquals(Optional.empty(), legacy().findRoom(UUID.randomUUID().toString()));
        assertTrue(db.jdbi().inTransaction(h -> h.attach(LegacyDao.class).lockRoom(tokenRoom)).isEmpty(),
                "a token room is not a legacy room even by its row id");
    }

    @Test
    void aTakenLegacyIdInsertsNothingAndRaisesNothing() {
        String legacyId = UUID.randomUUID().toString();
        legacyRoom(legacyId, NOW, NOW.plusSeconds(60), 50);
        assertEquals(Optional.empty(), legacy().insertRoom(legacyId, "legacy-other", "x", 50, NOW, NOW.plusSeconds(60)));
        assertEquals(1, count("rooms"));
    }

    @Test
    void membersAreAddedUpToCapacityOnceEachAndOnlyToLiveLegacyRooms() {
        long room = legacyRoom(UUID.randomUUID().toString(), NOW, NOW.plusSeconds(600), 2);
        for (String u : List.of("a", "b", "c")) {
            legacy().insertUser(u, u + "name", NOW);
        }
        assertEquals(1, legacy().addMember(UUID.randomUUID().toString(), room, "a", NOW, 2));
        assertEquals(0, legacy().addMember(UUID.randomUUID().toString(), room, "a", NOW, 2), "a member already");
        assertEquals(1, legacy().addMember(UUID.randomUUID().toString(), room, "b", NOW.plusMillis(1), 2));
        assertEquals(0, legacy().addMember(UUID.randomUUID().toString(), room, "c", NOW, 2), "full");
        assertEquals(0, legacy().addMember(UUID.randomUUID().toString(), room, "ghost", NOW, 2), "no such user");
        assertEquals(2, legacy().countMembers(room));
        assertEquals(1, legacy().isMember(room, "a"));
        assertEquals(0, legacy().isMember(room, "c"));

        long expired = legacyRoom(UUID.randomUUID().toString(), NOW.minusSeconds(60), NOW.minusSeconds(1), 50);
        assertEquals(0, legacy().addMember(UUID.randomUUID().toString(), expired, "c", NOW, 50), "ended room");
        long tokenRoom = activeRoom();
        assertEquals(0, legacy().addMember(UUID.randomUUID().toString(), tokenRoom, "c", NOW, 50), "token room");

        List<LegacyMemberRow> members = legacy().members(List.of(room));
        assertEquals(List.of("a", "b"), members.stream().map(LegacyMemberRow::userId).toList(), "oldest membership first");
        assertEquals("aname", members.get(0).username());
        assertEquals(room, members.get(0).roomId());
        assertEquals(List.of(), legacy().members(List.of()), "an empty id list selects nothing");

        assertEquals(1, legacy().removeMember(room, "a"));
        assertEquals(0, legacy().removeMember(room, "a"));
        assertEquals(1, legacy().countMembers(room));
    }

    @Test
    void aUserIsDeletedOnlyWhenInNoRoom() {
        long room = legacyRoom(UUID.randomUUID().toString(), NOW, NOW.plusSeconds(600), 50);
        legacy().insertUser("a", "Ann", NOW);
        legacy().insertUser("b", "Bob", NOW);
        legacy().addMember(UUID.randomUUID().toString(), room, "a", NOW, 50);
        assertEquals(List.of("b"), legacy().usersInNoRoom(NOW.plusSeconds(1), 10));
        assertEquals(List.of(), legacy().usersInNoRoom(NOW, 10), "registered at NOW: not before it");
        assertEquals(List.of("a"), legacy().memberIds(room));
        assertEquals(0, legacy().deleteUserIfInNoRoom("a"));
        assertEquals(1, legacy().deleteUserIfInNoRoom("b"));
        assertEquals(0, legacy().deleteUserIfInNoRoom("b"));
        // The room's end (its row deleted) takes its memberships with it: then the user is in no room.
        rooms.delete(room);
        assertEquals(0, count("legacy_room_users"));
        assertEquals(List.of(), legacy().memberIds(room));
        assertEquals(List.of("a"), legacy().usersInNoRoom(NOW.plusSeconds(1), 10));
        assertEquals(1, legacy().deleteUserIfInNoRoom("a"));
        assertEquals(0, count("legacy_users"));
    }

    @Test
    void legacyMessagesKeepTheirSenderAndGoWithTheirRoom() {
        long room = legacyRoom(UUID.randomUUID().toString(), NOW, NOW.plusSeconds(600), 50);
        legacy().insertUser("a", "Ann", NOW);
        MessageRow first = new MessageRow(UUID.randomUUID().toString(), room, null, "TEXT", "one", "Ann", NOW, "a");
        MessageRow second = new MessageRow(UUID.randomUUID().toString(), room, null, "TEXT", "two", "Gone",
                NOW.plusMillis(1), "b");
        insertMessages(List.of(first, second));
        List<LegacyMessageRow> latest = legacy().latestMessages(room, 10);
        assertEquals(List.of(second.id(), first.id()), latest.stream().map(LegacyMessageRow::id).toList());
        assertEquals(new LegacyMessageRow(first.id(), room, "a", "one", "Ann", NOW, NOW, NOW), latest.get(1));
        assertEquals(new LegacyMessageRow(second.id(), room, "b", "two", "Gone", NOW.plusMillis(1), null, null),
                latest.get(0), "a sender whose user row is gone keeps its id and the name it sent under");
        assertEquals(1, legacy().latestMessages(room, 1).size());
        assertEquals(first, messages.findById(first.id()).map(m -> new MessageRow(m.id(), m.roomId(), m.sessionId(),
                m.type(), m.content(), m.nickname(), m.createdAt(), "a")).orElseThrow());
        rooms.delete(room);
        assertEquals(0, count("messages"));
    }

    @Test
    void theLegacyListHasLiveLegacyRoomsOnlyNewestFirstWithTheirCounts() {
        String older = UUID.randomUUID().toString();
        String newer = UUID.randomUUID().toString();
        long olderId = legacyRoom(older, NOW.minusSeconds(10), NOW.plusSeconds(600), 50);
        legacyRoom(newer, NOW.minusSeconds(5), NOW.plusSeconds(600), 50);
        legacyRoom(UUID.randomUUID().toString(), NOW.minusSeconds(20), NOW.minusSeconds(1), 50);
        room(true, NOW, NOW.plusSeconds(600));
        activeRoom();
        legacy().insertUser("a", "Ann", NOW);
        legacy().addMember(UUID.randomUUID().toString(), olderId, "a", NOW, 50);
        insertMessages(List.of(new MessageRow(UUID.randomUUID().toString(), olderId, null, "TEXT", "x", "Ann", NOW, "a"),
                new MessageRow(UUID.randomUUID().toString(), olderId, null, "TEXT", "y", "Ann", NOW.plusMillis(1), "a")));
        List<LegacyRoomSummaryRow> live = legacy().liveRooms(NOW, 10);
        assertEquals(List.of(newer, older), live.stream().map(LegacyRoomSummaryRow::legacyId).toList());
        assertEquals(new LegacyRoomSummaryRow(olderId, older, "Chat", NOW.minusSeconds(10), 2, 1), live.get(1));
        assertEquals(0, live.get(0).messageCount());
        assertEquals(1, legacy().liveRooms(NOW, 1).size());
    }
}
