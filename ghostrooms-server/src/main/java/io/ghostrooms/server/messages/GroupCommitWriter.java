package io.ghostrooms.server.messages;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.messages.MessageBatchDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Telemetry;
import io.ghostrooms.server.transport.OutboundEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that stores messages. Whatever queued up while the previous transaction committed
 * goes into the next one (a JDBC batch), so N concurrent sends cost about N / batch transactions.
 * Each message is handed to the commit listener (which broadcasts it) only after its transaction
 * committed, in queue order: that order is the room's order for every member. Barrier tasks run on
 * the same thread between batches, so they see a consistent "everything before is stored and
 * broadcast" point (joins and deletes use it).
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /**
     * A message waiting to be stored; attachments were claimed from the upload registry. {@code
     * announce} makes the event its room receives after commit from the stamped message (the legacy
     * API's newMessage); null: the contract's new_message with {@code dto}.
     */
    public record Write(MessageRow row, List<AttachmentRow> attachments, MessageDto dto, String roomToken,
                       CompletableFuture<MessageDto> result, Function<MessageDto, OutboundEvent> announce) {
        public Write(MessageRow row, List<AttachmentRow> attachments, MessageDto dto, String roomToken,
                     CompletableFuture<MessageDto> result) {
            this(row, attachments, dto, roomToken, result, null);
        }

        /** The same write with its creation time set to {@code at} (row and wire object alike). */
        Write stampedAt(Instant at) {
            if (at.equals(row.createdAt())) {
                return this;
            }
            MessageRow r = new MessageRow(row.id(), row.roomId(), row.sessionId(), row.type(), row.content(),
                    row.nickname(), at, row.legacyUserId());
            MessageDto d = new MessageDto(dto.id(), dto.type(), dto.content(), dto.nickname(), Timestamps.format(at),
                    dto.attachments());
            return new Write(r, attachments, d, roomToken, result, announce);
        }
    }

    public interface CommitListener {
        /** Called on the writer thread, in order, after the write's transaction committed. */
        void committed(Write write);

        /** Called when a write could not be stored; its attachment claims may be given back. */
        void failed(Write write, GhostRoomsException error);
    }

    private final Database database;
    private final boolean persist;
    private final CommitListener listener;
    private final int maxBatch;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final Clock clock;
    private final Telemetry telemetry;
    /**
     * Writer thread only: the creation time last given to a message of each room, in epoch millis.
     * Every message of a room gets a later millisecond than the one before it, so createdAt is a
     * cursor: REST history's {@code before=<createdAt of the oldest message seen>} pages back over
     * every message exactly once, however many were sent in one millisecond (a batch commits
     * hundreds at once). The clock runs ahead of real time only while a room sends more than one
     * message per millisecond. A room whose entry was evicted had no message for a long time, so
     * the clock is already past its last one.
     */
    private final Map<Long, Long> lastStamp = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_STAMPED_ROOMS;
        }
    };
    private static final int MAX_STAMPED_ROOMS = 100_000;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean running = true;
    /**
     * After a batch found the database unreachable, writes fail at once until this System.nanoTime()
     * instead of each batch waiting out the pool's connection timeout (3 s) while sends pile up
     * behind it; then one batch tries again. Writer thread only.
     */
    private long unavailableUntil;
    private boolean unavailable;
    static final long UNAVAILABLE_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    public GroupCommitWriter(Database database, CommitListener listener, int maxBatch, int queueCapacity) {
        this(database, listener, maxBatch, queueCapacity, true, Clock.systemUTC(), Telemetry.NONE);
    }

    /** With persist false nothing is written: the benchmark ceiling of everything but the database. */
    public GroupCommitWriter(Database database, CommitListener listener, int maxBatch, int queueCapacity,
                             boolean persist, Clock clock, Telemetry telemetry) {
        this.persist = persist;
        this.clock = clock;
        this.telemetry = telemetry;
        this.database = database;
        this.listener = listener;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "message-writer");
        this.thread.setDaemon(false);
    }

    public void start() {
        thread.start();
    }

    /** Queues a write; its result completes after commit (or fails with the reason). */
    public CompletableFuture<MessageDto> submit(Write write) {
        if (!running || !queue.offer(write)) {
            write.result().completeExceptionally(new GhostRoomsException(ErrorCode.SERVER_BUSY));
        }
        return write.result();
    }

    /** Runs the action on the writer thread after everything queued before it is stored and broadcast. */
    public <T> CompletableFuture<T> inOrder(Supplier<T> action) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                done.complete(action.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        };
        if (!running || !queue.offer(task)) {
            done.completeExceptionally(new GhostRoomsException(ErrorCode.SERVER_BUSY));
        }
        return done;
    }

    public long transactions() {
        return transactions.get();
    }

    public long storedMessages() {
        return stored.get();
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(maxBatch);
        List<Write> writes = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                long now = clock.millis();
                for (Object task : batch) {
                    if (task instanceof Write w) {
                        writes.add(stamp(w, now));
                    } else {
                        flush(writes);
                        runBarrier((Runnable) task);
                    }
                }
                flush(writes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                log.error("writer loop failure ({})", Failures.describe(t));
            } finally {
                batch.clear();
                writes.clear();
            }
        }
    }

    private Write stamp(Write w, long now) {
        long roomId = w.row().roomId();
        Long last = lastStamp.get(roomId);
        long at = last == null ? now : Math.max(now, last + 1);
        lastStamp.put(roomId, at);
        return w.stampedAt(Instant.ofEpochMilli(at));
    }

    /** Forgets a room's stamp; call on the writer thread (from an {@link #inOrder} task). */
    void forgetRoom(long roomId) {
        lastStamp.remove(roomId);
    }

    private void runBarrier(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("writer barrier failure ({})", Failures.describe(t));
        }
    }

    private void flush(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        if (unavailable && System.nanoTime() - unavailableUntil < 0) {
            fail(writes, new GhostRoomsException(ErrorCode.DATABASE_UNAVAILABLE));
            return;
        }
        try {
            store(writes);
            unavailable = false;
            for (Write w : writes) {
                try {
                    listener.committed(w);
                } catch (Throwable t) {
                    log.error("commit listener failure ({})", Failures.describe(t));
                }
                w.result().complete(w.dto());
            }
        } catch (Throwable failure) {
            boolean databaseUnavailable = Failures.isDatabaseUnavailable(failure);
            if (databaseUnavailable) {
                unavailable = true;
                unavailableUntil = System.nanoTime() + UNAVAILABLE_BACKOFF_NANOS;
            }
            if (writes.size() > 1 && !databaseUnavailable) {
                // One bad row (its room just expired, its upload was claimed elsewhere) must not sink
                // the others: store them one by one to find it.
                for (Write w : writes) {
                    flush(new ArrayList<>(List.of(w)));
                }
            } else {
                // A lone row that breaks a constraint lost its session or room to cleanup meanwhile.
                GhostRoomsException error = Failures.isIntegrityViolation(failure)
                        ? new GhostRoomsException(ErrorCode.SESSION_EXPIRED)
                        : Failures.translate(failure);
                fail(writes, error);
            }
        } finally {
            writes.clear();
        }
    }

    private void fail(List<Write> writes, GhostRoomsException error) {
        for (Write w : writes) {
            try {
                listener.failed(w, error);
            } catch (Throwable t) {
                log.error("failure listener failure ({})", Failures.describe(t));
            }
            w.result().completeExceptionally(error);
        }
    }

    private void store(List<Write> writes) {
        if (!persist) {
            transactions.incrementAndGet();
            return;
        }
        List<MessageRow> rows = new ArrayList<>(writes.size());
        List<String> attachmentIds = new ArrayList<>();
        List<String> attachmentMessageIds = new ArrayList<>();
        for (Write w : writes) {
            rows.add(w.row());
            for (AttachmentRow a : w.attachments()) {
                attachmentIds.add(a.id());
                attachmentMessageIds.add(w.row().id());
            }
        }
        long started = System.nanoTime();
        database.jdbi().useTransaction(handle -> {
            new MessageBatchDao(handle).insertAll(rows);
            if (!attachmentIds.isEmpty()) {
                int[] claimed = handle.attach(AttachmentDao.class).claim(attachmentIds, attachmentMessageIds);
                for (int count : claimed) {
                    if (count != 1) {
                        throw new GhostRoomsException(ErrorCode.INVALID_ATTACHMENT);
                    }
                }
            }
        });
        telemetry.batchCommitted(rows.size(), System.nanoTime() - started);
        transactions.incrementAndGet();
        stored.addAndGet(rows.size());
    }

    /** Stops taking work, stores what is queued, and waits for the thread to finish. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
