package io.ghostrooms.server.messages;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.messages.MessageDao;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.socket.AttachmentDto;
import io.ghostrooms.protocol.socket.MessageDeleted;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.protocol.socket.MessageType;
import io.ghostrooms.protocol.socket.SendMessagePayload;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Names;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.Telemetry;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.Attachments;
import io.ghostrooms.server.files.UploadRegistry;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.transport.OutboundEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Message rules and the hot path. send() validates against the session held in memory, counts the
 * rate limit in Caffeine and queues the write: no query. The last messages of each active room are
 * kept in memory on the writer thread, so join_room's history is exact (everything stored before the
 * join, nothing after) and costs no query once the room is warm.
 */
public final class MessageService implements GroupCommitWriter.CommitListener {
    public static final int HISTORY_ON_JOIN = 50;
    public static final int MAX_HISTORY_PAGE = 100;
    public static final int MAX_STICKER_LENGTH = 64;
    public static final int MAX_CLIENT_ID_LENGTH = 64;
    private static final int MAX_WARM_ROOMS = 10_000;

    private final Database database;
    private final Config config;
    private final Clock clock;
    private final SessionService sessions;
    private final UploadRegistry uploads;
    private final RoomBus bus;
    private final GroupCommitWriter writer;
    private final RateLimiter sendLimiter;
    private final Cache<String, CompletableFuture<MessageDto>> byClientId =
            Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10)).maximumSize(200_000).build();
    /** Writer-thread confined: room id -> its last messages, oldest first. */
    private final Map<Long, Deque<MessageDto>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Deque<MessageDto>> eldest) {
            return size() > MAX_WARM_ROOMS;
        }
    };

    public MessageService(Database database, Config config, Clock clock, SessionService sessions,
                          UploadRegistry uploads, RoomBus bus, RateLimiter sendLimiter, Telemetry telemetry,
                          int maxBatch) {
        this.database = database;
        this.config = config;
        this.clock = clock;
        this.sessions = sessions;
        this.uploads = uploads;
        this.bus = bus;
        this.sendLimiter = sendLimiter;
        this.writer = new GroupCommitWriter(database, this, maxBatch, 100_000, config.persistMessages(), clock, telemetry);
    }

    public void start() {
        writer.start();
    }

    public void close() {
        writer.close();
    }

    public GroupCommitWriter writer() {
        return writer;
    }

    /** Validates and queues a message; completes with it once stored and broadcast. */
    public CompletableFuture<MessageDto> send(SessionContext session, SendMessagePayload payload) {
        if (!session.roomExpiresAt().isAfter(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        String clientId = payload.clientId();
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH)) {
            throw new GhostRoomsException(ErrorCode.INVALID_MESSAGE, "clientId must be 1-" + MAX_CLIENT_ID_LENGTH + " characters");
        }
        if (clientId == null) {
            return validateAndQueue(session, payload);
        }
        // A retry with the same clientId gets the first attempt's outcome instead of a duplicate,
        // whichever socket or session carries it: a connection that dropped before the ack came
        // rejoins with a new session under the same nickname and sends again.
        String key = session.roomId() + ":" + Names.key(session.nickname()) + ":" + clientId;
        CompletableFuture<MessageDto> placeholder = new CompletableFuture<>();
        CompletableFuture<MessageDto> existing = byClientId.asMap().putIfAbsent(key, placeholder);
        if (existing != null && !existing.isCompletedExceptionally()) {
            return existing;
        }
        if (existing != null) {
            byClientId.asMap().put(key, placeholder);
        }
        try {
            validateAndQueue(session, payload).whenComplete((m, e) -> {
                if (e != null) {
                    byClientId.asMap().remove(key, placeholder);
                    placeholder.completeExceptionally(e);
                } else {
                    placeholder.complete(m);
                }
            });
        } catch (RuntimeException e) {
            byClientId.asMap().remove(key, placeholder);
            throw e;
        }
        return placeholder;
    }

    private CompletableFuture<MessageDto> validateAndQueue(SessionContext session, SendMessagePayload payload) {
        MessageType type = MessageType.fromWire(payload.type());
        if (type == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_MESSAGE_TYPE);
        }
        String content = switch (type) {
            case TEXT -> text(payload.content());
            case STICKER -> sticker(payload.content());
            case IMAGE, FILE -> caption(payload.content());
        };
        List<AttachmentDto> requested = payload.attachments() == null ? List.of() : payload.attachments();
        if ((type == MessageType.IMAGE || type == MessageType.FILE)) {
            checkAttachmentList(requested);
        }
        sendLimiter.acquire(Long.toString(session.sessionId()));
        List<AttachmentRow> claimed = (type == MessageType.IMAGE || type == MessageType.FILE)
                ? claim(requested) : List.of();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        MessageRow row = new MessageRow(id, session.roomId(), session.sessionId(), type.name(), content,
                session.nickname(), now);
        MessageDto dto = new MessageDto(id, type.name(), content, session.nickname(), Timestamps.format(now),
                claimed.stream().map(Attachments::toDto).toList());
        sessions.touch(session.sessionId());
        return writer.submit(new GroupCommitWriter.Write(row, claimed, dto, session.roomToken(), new CompletableFuture<>()));
    }

    private String text(String content) {
        if (content == null || content.isBlank()) {
            throw new GhostRoomsException(ErrorCode.INVALID_MESSAGE, "Message content is required");
        }
        if (codePoints(content) > config.maxMessageLength()) {
            throw new GhostRoomsException(ErrorCode.MESSAGE_TOO_LONG,
                    "Message is longer than " + config.maxMessageLength() + " characters");
        }
        return content;
    }

    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    private String sticker(String content) {
        if (content == null || content.isBlank() || codePoints(content) > MAX_STICKER_LENGTH) {
            throw new GhostRoomsException(ErrorCode.INVALID_MESSAGE,
                    "A sticker needs a sticker id of at most " + MAX_STICKER_LENGTH + " characters");
        }
        return content;
    }

    private String caption(String content) {
        if (content == null || content.isBlank()) {
            return null;
        }
        if (codePoints(content) > config.maxMessageLength()) {
            throw new GhostRoomsException(ErrorCode.MESSAGE_TOO_LONG,
                    "Caption is longer than " + config.maxMessageLength() + " characters");
        }
        return content;
    }

    private void checkAttachmentList(List<AttachmentDto> requested) {
        if (requested.isEmpty()) {
            throw new GhostRoomsException(ErrorCode.MISSING_ATTACHMENT);
        }
        if (requested.size() > Attachments.MAX_PER_MESSAGE) {
            throw new GhostRoomsException(ErrorCode.INVALID_ATTACHMENT,
                    "At most " + Attachments.MAX_PER_MESSAGE + " attachments");
        }
        for (AttachmentDto a : requested) {
            if (a == null) {
                throw new GhostRoomsException(ErrorCode.INVALID_ATTACHMENT);
            }
            if (a.fileSize() > config.maxFileSizeBytes()) {
                throw new GhostRoomsException(ErrorCode.FILE_TOO_LARGE);
            }
        }
    }

    /** Claims every attachment or none: each must be an unclaimed upload to this server. */
    private List<AttachmentRow> claim(List<AttachmentDto> requested) {
        List<AttachmentRow> claimed = new ArrayList<>(requested.size());
        for (AttachmentDto a : requested) {
            AttachmentRow row = uploads.claim(a.id(), a.url());
            if (row == null) {
                claimed.forEach(uploads::release);
                throw new GhostRoomsException(ErrorCode.INVALID_ATTACHMENT);
            }
            claimed.add(row);
        }
        return claimed;
    }

    @Override
    public void committed(GroupCommitWriter.Write write) {
        if (write.announce() != null) {
            // Another wire form (legacy): its room has no history ring here, its event is its own.
            bus.publish(write.roomToken(), write.announce().apply(write.dto()), null);
            return;
        }
        Deque<MessageDto> ring = recent.get(write.row().roomId());
        if (ring != null) {
            append(ring, write.dto());
        }
        bus.publish(write.roomToken(), OutboundEvent.of(Events.NEW_MESSAGE, write.dto()), null);
    }

    /**
     * Queues a TEXT message of another wire form (the legacy ChatBackEnd API) on the same writer:
     * stored in the room's one order, then {@code announce} makes the event the room {@code busRoom}
     * receives, after commit. The caller validated the content ({@link #textContent}) and counted the
     * rate limit; no query runs here. Completes with the message as stamped (its createdAt).
     */
    public CompletableFuture<MessageDto> submitOtherForm(long roomId, String busRoom, String legacyUserId,
                                                         String nickname, String content,
                                                         Function<MessageDto, OutboundEvent> announce) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        MessageRow row = new MessageRow(id, roomId, null, MessageType.TEXT.name(), content, nickname, now,
                legacyUserId);
        MessageDto dto = new MessageDto(id, MessageType.TEXT.name(), content, nickname, Timestamps.format(now),
                List.of());
        return writer.submit(new GroupCommitWriter.Write(row, List.of(), dto, busRoom, new CompletableFuture<>(),
                announce));
    }

    /** TEXT content as every API checks it: INVALID_MESSAGE when blank, MESSAGE_TOO_LONG past MAX_MESSAGE_LENGTH. */
    public String textContent(String content) {
        return text(content);
    }

    /**
     * Runs {@code action} on the writer thread after everything queued before it is stored and
     * broadcast, and before anything queued after: a join that subscribes there and reads the
     * history sees every message exactly once (in the history or as an event).
     */
    public <T> CompletableFuture<T> inOrder(Supplier<T> action) {
        return writer.inOrder(action);
    }

    @Override
    public void failed(GroupCommitWriter.Write write, GhostRoomsException error) {
        if (error.code() != ErrorCode.INVALID_ATTACHMENT) {
            write.attachments().forEach(uploads::release);
        }
    }

    private static void append(Deque<MessageDto> ring, MessageDto message) {
        ring.addLast(message);
        while (ring.size() > HISTORY_ON_JOIN) {
            ring.removeFirst();
        }
    }

    /**
     * Runs {@code subscribe} on the writer thread with the room's last messages: every message stored
     * before is in that list, every message stored after is broadcast after subscribe returns.
     */
    public CompletableFuture<Void> joinInOrder(long roomId, Consumer<List<MessageDto>> subscribe) {
        return writer.inOrder(() -> {
            Deque<MessageDto> ring = recent.computeIfAbsent(roomId, id -> new ArrayDeque<>(loadLatest(id, HISTORY_ON_JOIN)));
            subscribe.accept(List.copyOf(ring));
            return null;
        });
    }

    /**
     * Completes once everything queued before it is stored and broadcast: a socket's sends that
     * arrived before its leave are in its room's history, and acknowledged, before its session ends.
     */
    public CompletableFuture<Void> afterPendingWrites() {
        return writer.inOrder(() -> null);
    }

    /** Drops a room's in-memory history (its room is gone). */
    public void forgetRoom(long roomId) {
        writer.inOrder(() -> {
            recent.remove(roomId);
            writer.forgetRoom(roomId);
            return null;
        });
    }

    /**
     * Deletes the sender's own message, in order with stores and broadcasts; completes with the
     * stored names of its files, which the caller removes from storage.
     */
    public CompletableFuture<List<String>> delete(SessionContext session, String messageId) {
        if (messageId == null || messageId.isEmpty() || messageId.length() > 64) {
            throw new GhostRoomsException(ErrorCode.MESSAGE_NOT_FOUND);
        }
        return writer.inOrder(() -> {
            MessageRow row = database.dao(MessageDao.class).findById(messageId)
                    .filter(m -> m.roomId() == session.roomId())
                    .orElseThrow(() -> new GhostRoomsException(ErrorCode.MESSAGE_NOT_FOUND));
            if (row.sessionId() == null || row.sessionId() != session.sessionId()) {
                throw new GhostRoomsException(ErrorCode.FORBIDDEN, "Only the sender can delete a message");
            }
            List<String> files = database.jdbi().inTransaction(handle -> {
                List<String> names = handle.attach(AttachmentDao.class).storedNamesOfMessage(messageId);
                handle.attach(MessageDao.class).delete(messageId);
                return names;
            });
            Deque<MessageDto> ring = recent.get(session.roomId());
            if (ring != null) {
                ring.removeIf(m -> m.id().equals(messageId));
                if (ring.size() < HISTORY_ON_JOIN) {
                    recent.remove(session.roomId()); // reload lazily so the window stays full
                }
            }
            bus.publish(session.roomToken(), OutboundEvent.of(Events.MESSAGE_DELETED, new MessageDeleted(messageId)), null);
            return files;
        });
    }

    /**
     * REST history: oldest first, at most {@code limit}, optionally before an instant. {@code before}
     * may be any instant (PROTOCOL: any ISO-8601 instant, years past 9999 included), but only those
     * both databases store reach SQL (PostgreSQL refuses a timestamptz past 294276 AD, and binding
     * overflows past year 292 million): a {@code before} after year 9999 gives the newest page, as
     * every stored message is older; one before year 1 UTC (inside PostgreSQL's range, which starts
     * in 4713 BC, and H2's) gives an empty page, as no message is older. In between it goes to SQL as
     * it is, also when it is later than now: a burst's createdAt stamps run a few milliseconds ahead of
     * the clock (one millisecond per message of a room), and paging back from such a stamp must still
     * exclude it (a "later than now means newest page" rule served that page twice).
     */
    public List<MessageDto> history(SessionContext session, int limit, Instant before) {
        if (limit < 1 || limit > MAX_HISTORY_PAGE) {
            throw new GhostRoomsException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_HISTORY_PAGE);
        }
        Instant earliestStorable = Instant.ofEpochSecond(-62_135_596_800L); // 0001-01-01T00:00:00Z
        Instant latestStorable = Instant.ofEpochSecond(253_402_300_799L); // 9999-12-31T23:59:59Z
        Instant cursor = before == null || before.isAfter(latestStorable) ? null : before;
        if (cursor != null && cursor.isBefore(earliestStorable)) {
            return List.of();
        }
        MessageDao dao = database.dao(MessageDao.class);
        List<MessageRow> newestFirst = cursor == null ? dao.latest(session.roomId(), limit)
                : dao.latestBefore(session.roomId(), cursor, limit);
        return withAttachments(reversed(newestFirst));
    }

    private List<MessageDto> loadLatest(long roomId, int limit) {
        return withAttachments(reversed(database.dao(MessageDao.class).latest(roomId, limit)));
    }

    private List<MessageDto> withAttachments(List<MessageRow> rows) {
        List<String> withFiles = rows.stream()
                .filter(r -> MessageType.IMAGE.name().equals(r.type()) || MessageType.FILE.name().equals(r.type()))
                .map(MessageRow::id).toList();
        Map<String, List<AttachmentRow>> byMessage = withFiles.isEmpty() ? Map.of()
                : database.dao(AttachmentDao.class).forMessages(withFiles).stream()
                        .collect(Collectors.groupingBy(AttachmentRow::messageId));
        return MessageMapper.messages(rows, byMessage);
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
