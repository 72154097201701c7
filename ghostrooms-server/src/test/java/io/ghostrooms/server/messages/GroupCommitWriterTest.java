package io.ghostrooms.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import io.ghostrooms.persistence.messages.MessageDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.common.GhostRoomsException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group commit on embedded H2; the PostgreSQL run is in {@link GroupCommitWriterPostgresTest}. */
class GroupCommitWriterTest {

    static Database h2() {
        return Database.open(DatabaseUrl.embeddedH2(), 4);
    }

    @Test
    void concurrentSendsShareTransactions() throws Exception {
        try (Database db = h2()) {
            assertBatched(db);
        }
    }

    @Test
    void broadcastOrderIsQueueOrderAndFollowsCommit() throws Exception {
        try (Database db = h2()) {
            assertCommitOrder(db);
        }
    }

    @Test
    void aRowThatBreaksAConstraintFailsAloneAndTheOthersAreStored() throws Exception {
        try (Database db = h2()) {
            long[] ids = roomAndSession(db);
            List<MessageDto> committed = new CopyOnWriteArrayList<>();
            GroupCommitWriter writer = new GroupCommitWriter(db, listener(committed), 100, 1000);
            // Queue before starting, so all three land in one batch.
            CompletableFuture<MessageDto> good1 = writer.submit(write(ids[0], ids[1], 1));
            CompletableFuture<MessageDto> bad = writer.submit(write(ids[0] + 999, ids[1], 2));
            CompletableFuture<MessageDto> good2 = writer.submit(write(ids[0], ids[1], 3));
            writer.start();
            good1.get(10, TimeUnit.SECONDS);
            good2.get(10, TimeUnit.SECONDS);
            assertTrue(bad.handle((m, e) -> e != null).get(10, TimeUnit.SECONDS));
            writer.close();
            assertEquals(2, db.dao(MessageDao.class).countInRoom(ids[0]));
            assertEquals(2, committed.size());
        }
    }

    static void assertBatched(Database db) throws Exception {
        long[] ids = roomAndSession(db);
        List<MessageDto> committed = new CopyOnWriteArrayList<>();
        GroupCommitWriter writer = new GroupCommitWriter(db, listener(committed), 500, 10_000);
        writer.start();
        int senders = 8;
        int perSender = 250;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<MessageDto>> results = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perSender; i++) {
                    results.add(writer.submit(write(ids[0], ids[1], sender * perSender + i)));
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (CompletableFuture<MessageDto> r : results) {
            r.get(30, TimeUnit.SECONDS);
        }
        writer.close();
        int total = senders * perSender;
        assertEquals(total, db.dao(MessageDao.class).countInRoom(ids[0]));
        assertEquals(total, writer.storedMessages());
        System.out.printf("group commit: %d messages in %d transactions%n", total, writer.transactions());
        assertTrue(writer.transactions() < total / 4,
                "expected far fewer transactions than messages, got " + writer.transactions());
    }

    static void assertCommitOrder(Database db) throws Exception {
        long[] ids = roomAndSession(db);
        List<MessageDto> committed = new CopyOnWriteArrayList<>();
        GroupCommitWriter writer = new GroupCommitWriter(db, new GroupCommitWriter.CommitListener() {
            @Override
            public void committed(GroupCommitWriter.Write write) {
                // Broadcast happens after commit: the row must already be visible.
                assertTrue(db.dao(MessageDao.class).findById(write.row().id()).isPresent());
                committed.add(write.dto());
            }

            @Override
            public void failed(GroupCommitWriter.Write write, GhostRoomsException error) {
            }
        }, 50, 10_000);
        writer.start();
        List<String> sent = new ArrayList<>();
        CompletableFuture<MessageDto> last = null;
        for (int i = 0; i < 300; i++) {
            GroupCommitWriter.Write w = write(ids[0], ids[1], i);
            sent.add(w.row().id());
            last = writer.submit(w);
        }
        last.get(30, TimeUnit.SECONDS);
        writer.close();
        assertEquals(sent, committed.stream().map(MessageDto::id).toList());
    }

    static GroupCommitWriter.CommitListener listener(List<MessageDto> committed) {
        return new GroupCommitWriter.CommitListener() {
            @Override
            public void committed(GroupCommitWriter.Write write) {
                committed.add(write.dto());
            }

            @Override
            public void failed(GroupCommitWriter.Write write, GhostRoomsException error) {
            }
        };
    }

    static long[] roomAndSession(Database db) {
        Instant now = Instant.now();
        String token = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        long room = db.dao(RoomDao.class).insert(token, null, false, false, 50, now, now.plus(1, ChronoUnit.HOURS))
                .orElseThrow();
        long session = db.jdbi().withHandle(h -> new MembershipDao(h)
                .insertSession(UUID.randomUUID().toString().replace("-", ""), room, "w", "w", now).orElseThrow());
        return new long[]{room, session};
    }

    static GroupCommitWriter.Write write(long room, long session, int n) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MessageRow row = new MessageRow(id, room, session, "TEXT", "m" + n, "w", now);
        MessageDto dto = new MessageDto(id, "TEXT", "m" + n, "w", now.toString(), List.of());
        return new GroupCommitWriter.Write(row, List.of(), dto, "ghost-x", new CompletableFuture<>());
    }
}
