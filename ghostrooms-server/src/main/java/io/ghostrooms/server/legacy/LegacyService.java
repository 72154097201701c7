package io.ghostrooms.server.legacy;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.legacy.LegacyDao;
import io.ghostrooms.persistence.legacy.LegacyMemberRow;
import io.ghostrooms.persistence.legacy.LegacyMessageRow;
import io.ghostrooms.persistence.legacy.LegacyRoomRow;
import io.ghostrooms.persistence.legacy.LegacyRoomSummaryRow;
import io.ghostrooms.persistence.legacy.LegacyUserRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.legacy.LegacyEvents;
import io.ghostrooms.protocol.legacy.LegacyMessage;
import io.ghostrooms.protocol.legacy.LegacyResults.UserPresence;
import io.ghostrooms.protocol.legacy.LegacyRoom;
import io.ghostrooms.protocol.legacy.LegacyRoomUser;
import io.ghostrooms.protocol.legacy.LegacyUser;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Usernames;
import io.ghostrooms.server.rooms.RoomEndTimer;
import io.ghostrooms.server.rooms.RoomRules;
import io.ghostrooms.server.transport.Connection;
import io.ghostrooms.server.transport.OutboundEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the legacy ChatBackEnd API (PROTOCOL "Legacy events"). Its rooms are ordinary rooms
 * with a UUID (rooms.legacy_id): they expire after ROOM_TTL_HOURS and end through the same room-end
 * timers and closer as token rooms (cascade: memberships, messages), and are never public. Its
 * messages go through the same group-commit writer, so a room has one order and every message is
 * broadcast after its commit. A userId is chosen by the client (the old API's contract); here it is
 * held by one live socket at a time, and events naming another userId than the socket registered
 * are refused, so one client cannot speak as another while both are connected.
 */
public final class LegacyService {
    private static final Logger log = LoggerFactory.getLogger(LegacyService.class);
    public static final int HISTORY_ON_JOIN = 50;
    public static final int HISTORY_ON_GET = 100;
    public static final int MAX_LISTED_ROOMS = 100;
    /** The client's own ids: a UUID, "user-42", a Mongo id... (the old API let clients choose). */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String BUS_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** Legacy rooms' names on the room bus (rooms.token): never the shape of a ghost- token. */
    static final String BUS_ROOM_PREFIX = "legacy-";
    private static final int MAX_ROOM_INSERTS = 5;

    private final Database database;
    private final Config config;
    private final Clock clock;
    private final MessageService messages;
    private final RoomBus bus;
    private final RoomEndTimer roomEnds;
    private final LegacyMembers members;
    private final RateLimiter createLimiter;
    private final RateLimiter lookupLimiter;
    private final RateLimiter sendLimiter;
    private final SecureRandom random = new SecureRandom();

    public LegacyService(Database database, Config config, Clock clock, MessageService messages, RoomBus bus,
                         RoomEndTimer roomEnds, LegacyMembers members, RateLimiter createLimiter,
                         RateLimiter lookupLimiter, RateLimiter sendLimiter) {
        this.database = database;
        this.config = config;
        this.clock = clock;
        this.messages = messages;
        this.bus = bus;
        this.roomEnds = roomEnds;
        this.members = members;
        this.createLimiter = createLimiter;
        this.lookupLimiter = lookupLimiter;
        this.sendLimiter = sendLimiter;
    }

    /** Whether a REST path segment names a legacy room (a UUID) rather than a ghost- token. */
    public static boolean isRoomId(String segment) {
        return segment != null && UUID_SHAPE.matcher(segment).matches();
    }

    // ---------------------------------------------------------------- register

    /**
     * register: creates the user or renames it, and binds its userId to this socket. A socket keeps
     * the userId it registered first (another is FORBIDDEN); a userId held by another live socket
     * is FORBIDDEN too. A user whose socket is gone but who is still in a room is taken over by
     * the socket that registers it again (the old client's reconnect).
     */
    LegacyUser register(LegacyClient client, String rawUserId, String rawUsername) {
        String userId = userId(rawUserId);
        String username = Usernames.validate(rawUsername);
        LegacyUser current = client.user();
        if (current != null && !current.id().equals(userId)) {
            throw new GhostRoomsException(ErrorCode.FORBIDDEN, "This connection is registered as another user");
        }
        return members.underUserLock(userId, () -> {
            if (!members.bind(userId, client)) {
                throw new GhostRoomsException(ErrorCode.FORBIDDEN, "This userId is in use by another connection");
            }
            Instant now = now();
            LegacyDao dao = database.dao(LegacyDao.class);
            try {
                if (dao.renameUser(userId, username, now) == 0 && dao.insertUser(userId, username, now) == 0) {
                    dao.renameUser(userId, username, now);
                }
                LegacyUserRow row = dao.findUser(userId)
                        .orElseThrow(() -> new GhostRoomsException(ErrorCode.SERVER_BUSY));
                LegacyUser user = LegacyShapes.user(row);
                client.user(user);
                return user;
            } catch (RuntimeException e) {
                if (current == null) {
                    members.unbind(userId, client);
                }
                throw e;
            }
        });
    }

    // ---------------------------------------------------------------- rooms

    /**
     * createRoom: a new legacy room (ROOM_TTL_HOURS, ROOM_MAX_CAPACITY, never public) with the user
     * in it; the socket is in it too. Counted by the room-creation limit per IP, as POST /api/rooms.
     */
    LegacyRoom createRoom(LegacyClient client, String rawName, String rawUserId) {
        LegacyUser user = registeredAs(client, rawUserId);
        String name = RoomRules.name(rawName);
        if (name == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM, "name is required");
        }
        createLimiter.acquire(client.connection().remoteIp());
        Instant now = now();
        Instant expiresAt = now.plusMillis(Math.max(1, config.roomTtl().toMillis()));
        LegacyDao dao = database.dao(LegacyDao.class);
        String legacyId = null;
        long id = -1;
        String busRoom = null;
        for (int attempt = 0; attempt < MAX_ROOM_INSERTS && legacyId == null; attempt++) {
            String candidate = UUID.randomUUID().toString();
            String token = busRoom();
            Optional<Long> inserted = dao.insertRoom(candidate, token, name, config.roomMaxCapacity(), now, expiresAt);
            if (inserted.isPresent()) {
                legacyId = candidate;
                id = inserted.get();
                busRoom = token;
            }
        }
        if (legacyId == null) {
            throw new IllegalStateException("no free legacy room id in " + MAX_ROOM_INSERTS + " draws");
        }
        roomEnds.endAt(id, busRoom, expiresAt);
        LegacyRoomRow room = new LegacyRoomRow(id, legacyId, busRoom, name, config.roomMaxCapacity(), now, expiresAt);
        return join(client, user, room, false).room();
    }

    /** A bus room name no token can equal ("legacy-" and 25 random characters: rooms.token's width). */
    private String busRoom() {
        char[] out = new char[25];
        for (int i = 0; i < out.length; i++) {
            out[i] = BUS_ALPHABET.charAt(random.nextInt(BUS_ALPHABET.length()));
        }
        return BUS_ROOM_PREFIX + new String(out);
    }

    /**
     * joinRoom: the user becomes a member (unless it is one), the socket joins the room, and the
     * answer has the room's members and its last 50 messages, oldest first: read on the writer's
     * thread after the socket subscribed, so every message is either in them or arrives as
     * newMessage, never both, never neither. The other sockets get userJoined when the user is new
     * to the room. Every failed attempt spends the client's lookup budget (as join_room).
     */
    LegacyRoom joinRoom(LegacyClient client, String rawRoomId, String rawUserId, String rawUsername) {
        String ip = client.connection().remoteIp();
        lookupLimiter.check(ip);
        try {
            LegacyUser user = registeredAs(client, rawUserId);
            if (rawUsername != null && !rawUsername.strip().equals(user.username())) {
                // The old client repeats its name here; the registered one is the user's name.
                Usernames.validate(rawUsername);
            }
            LegacyRoomRow room = liveRoom(rawRoomId);
            return join(client, user, room, true).room();
        } catch (GhostRoomsException e) {
            if (e.code() != ErrorCode.RATE_LIMIT_EXCEEDED) {
                lookupLimiter.count(ip);
            }
            throw e;
        }
    }

    private record Joined(LegacyRoom room, boolean newMember) {
    }

    private Joined join(LegacyClient client, LegacyUser user, LegacyRoomRow room, boolean announce) {
        boolean added = members.underUserLock(user.id(), () -> addMember(client, room, user));
        LegacyClient.JoinedRoom joined = new LegacyClient.JoinedRoom(room.id(), room.legacyId(), room.token(),
                room.expiresAt());
        List<LegacyMessageRow> history = messages.inOrder(() -> {
            bus.join(client.connection(), room.token());
            client.rooms().put(room.legacyId(), joined);
            return database.dao(LegacyDao.class).latestMessages(room.id(), HISTORY_ON_JOIN);
        }).join();
        roomEnds.endAt(room.id(), room.token(), room.expiresAt());
        if (announce && added) {
            bus.publish(room.token(), OutboundEvent.of(LegacyEvents.USER_JOINED,
                    new UserPresence(user.id(), user.username())), client.connection().id());
        }
        return new Joined(room(room, history), added);
    }

    /**
     * Adds the membership under the room's row lock; false when the user was a member already. The
     * socket holds the user, so its row is put back if it is gone: the cleanup of users in no room
     * on another server sharing the database cannot see this node's connections.
     */
    private boolean addMember(LegacyClient client, LegacyRoomRow found, LegacyUser user) {
        String userId = user.id();
        return database.jdbi().inTransaction(handle -> {
            LegacyDao dao = handle.attach(LegacyDao.class);
            if (dao.insertUser(userId, user.username(), now()) == 1) {
                // Put back: what this socket shows as its user is the row REST shows from now on.
                dao.findUser(userId).ifPresent(row -> client.user(LegacyShapes.user(row)));
            }
            LegacyRoomRow room = dao.lockRoom(found.id())
                    .orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND));
            Instant now = now();
            if (room.expiredAt(now)) {
                throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
            }
            if (dao.isMember(room.id(), userId) > 0) {
                return false;
            }
            if (dao.addMember(UUID.randomUUID().toString(), room.id(), userId, now, room.capacity()) == 1) {
                return true;
            }
            if (dao.isMember(room.id(), userId) > 0) {
                return false;
            }
            throw new GhostRoomsException(ErrorCode.ROOM_FULL);
        });
    }

    /** The live legacy room of a roomId: ROOM_NOT_FOUND for anything else (a token room's id included). */
    private LegacyRoomRow liveRoom(String roomId) {
        if (!isRoomId(roomId)) {
            throw new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND);
        }
        LegacyRoomRow room = database.dao(LegacyDao.class).findRoom(roomId.toLowerCase())
                .orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND));
        if (room.expiredAt(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        return room;
    }

    /**
     * leaveRoom: the user is no longer a member, the socket leaves the room, and the others get
     * userLeft. A room the socket is not in: NOT_IN_ROOM. The user itself stays while its socket does.
     */
    void leaveRoom(LegacyClient client, String roomId) {
        LegacyUser user = client.user();
        LegacyClient.JoinedRoom joined = roomId == null ? null : client.rooms().get(roomId.toLowerCase());
        if (user == null || joined == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM, "Not in that room");
        }
        // Sends queued before the leave are stored and broadcast first (as leave_room).
        messages.inOrder(() -> {
            client.rooms().remove(joined.legacyId());
            bus.leave(client.connection(), joined.busRoom());
            return null;
        }).join();
        members.underUserLock(user.id(), () -> database.dao(LegacyDao.class).removeMember(joined.id(), user.id()));
        bus.publish(joined.busRoom(), OutboundEvent.of(LegacyEvents.USER_LEFT,
                new UserPresence(user.id(), user.username())), client.connection().id());
    }

    /**
     * The socket is gone: its userId is free again; the user is deleted if it is in no room (else
     * it lives on with its rooms, and its rooms' ends delete it).
     */
    void disconnected(LegacyClient client) {
        LegacyUser user = client.user();
        client.rooms().clear();
        if (user == null) {
            return;
        }
        members.underUserLock(user.id(), () -> {
            members.unbind(user.id(), client);
            try {
                return members.deleteIfUnused(user.id());
            } catch (RuntimeException e) {
                // The next room end, or the next start, deletes it: it is in no room and unbound.
                log.warn("legacy user deletion deferred ({})", Failures.describe(e));
                return false;
            }
        });
    }

    // ---------------------------------------------------------------- messages

    /**
     * sendMessage: only a socket in the room, as the user it registered, with TEXT content as the
     * token API checks it (INVALID_MESSAGE, MESSAGE_TOO_LONG) and RATE_LIMIT_MESSAGES_PER_MINUTE per
     * user. Everything is checked in memory: the hot path runs no query. Completes with newMessage
     * once stored and broadcast to the room, sender included.
     */
    CompletableFuture<LegacyMessage> send(LegacyClient client, String roomId, String rawUserId, String rawContent) {
        LegacyUser user = registeredAs(client, rawUserId);
        LegacyClient.JoinedRoom joined = roomId == null ? null : client.rooms().get(roomId.toLowerCase());
        if (joined == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM, "Join the room first");
        }
        if (!joined.expiresAt().isAfter(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        String content = messages.textContent(rawContent);
        sendLimiter.acquire("legacy:" + user.id());
        LegacyUser sender = user;
        return messages.submitOtherForm(joined.id(), joined.busRoom(), user.id(), user.username(), content,
                        stored -> OutboundEvent.of(LegacyEvents.NEW_MESSAGE, newMessage(stored, joined, sender)))
                .thenApply(stored -> newMessage(stored, joined, sender));
    }

    private static LegacyMessage newMessage(MessageDto stored, LegacyClient.JoinedRoom room, LegacyUser user) {
        return new LegacyMessage(stored.id(), stored.content(), user.id(), room.legacyId(), stored.createdAt(), user);
    }

    // ---------------------------------------------------------------- lists

    /** getRooms and GET /api/rooms: live legacy rooms, newest first, with their users and counts. */
    public List<LegacyRoom> list() {
        LegacyDao dao = database.dao(LegacyDao.class);
        List<LegacyRoomSummaryRow> rooms = dao.liveRooms(clock.instant(), MAX_LISTED_ROOMS);
        if (rooms.isEmpty()) {
            return List.of();
        }
        Map<Long, List<LegacyMemberRow>> byRoom = dao.members(rooms.stream().map(LegacyRoomSummaryRow::id).toList())
                .stream().collect(Collectors.groupingBy(LegacyMemberRow::roomId));
        List<LegacyRoom> out = new ArrayList<>(rooms.size());
        for (LegacyRoomSummaryRow r : rooms) {
            List<LegacyRoomUser> users = byRoom.getOrDefault(r.id(), List.of()).stream()
                    .map(m -> LegacyShapes.member(m, r.legacyId())).toList();
            String created = Timestamps.format(r.createdAt());
            out.add(new LegacyRoom(r.legacyId(), r.name(), created, created, users, null,
                    new LegacyRoom.Count(r.messageCount(), r.userCount())));
        }
        return out;
    }

    /**
     * GET /api/rooms/:roomId: the live legacy room with its users and up to 100 messages, oldest
     * first; empty for anything else (unknown, ended, a token room). Counted by the lookup limit.
     */
    public Optional<LegacyRoom> room(String roomId, String clientIp) {
        lookupLimiter.acquire(clientIp);
        if (!isRoomId(roomId)) {
            return Optional.empty();
        }
        LegacyDao dao = database.dao(LegacyDao.class);
        Optional<LegacyRoomRow> found = dao.findRoom(roomId.toLowerCase()).filter(r -> !r.expiredAt(clock.instant()));
        return found.map(room -> room(room, dao.latestMessages(room.id(), HISTORY_ON_GET)));
    }

    private LegacyRoom room(LegacyRoomRow room, List<LegacyMessageRow> newestFirst) {
        List<LegacyMessageRow> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        List<LegacyRoomUser> users = database.dao(LegacyDao.class).members(List.of(room.id())).stream()
                .map(m -> LegacyShapes.member(m, room.legacyId())).toList();
        String created = Timestamps.format(room.createdAt());
        return new LegacyRoom(room.legacyId(), room.name(), created, created, users,
                oldestFirst.stream().map(m -> LegacyShapes.message(m, room.legacyId())).toList(), null);
    }

    // ---------------------------------------------------------------- rules

    /** The socket's registered user, if rawUserId names it: UNAUTHORIZED before register, FORBIDDEN for another id. */
    private LegacyUser registeredAs(LegacyClient client, String rawUserId) {
        String userId = userId(rawUserId);
        LegacyUser user = client.user();
        if (user == null) {
            throw new GhostRoomsException(ErrorCode.UNAUTHORIZED, "Register first");
        }
        if (!user.id().equals(userId)) {
            throw new GhostRoomsException(ErrorCode.FORBIDDEN, "userId is not the user this connection registered");
        }
        return user;
    }

    private static String userId(String raw) {
        if (raw == null || !USER_ID.matcher(raw).matches()) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD,
                    "userId must be 1-64 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return raw;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A connection's state, made on its first legacy event. */
    LegacyClient client(Connection connection, java.util.function.Function<Connection, LegacyClient> create) {
        return members.client(connection, create);
    }

    LegacyMembers registry() {
        return members;
    }
}
