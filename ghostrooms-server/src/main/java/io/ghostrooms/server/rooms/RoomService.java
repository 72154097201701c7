package io.ghostrooms.server.rooms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.protocol.rest.CreatedRoom;
import io.ghostrooms.protocol.rest.JoinedRoom;
import io.ghostrooms.protocol.rest.RoomInfo;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** Rules of rooms: creation, lookup, capacity, nickname uniqueness and the public list. */
public final class RoomService {
    private static final int DM_CAPACITY = 2;
    private static final int MAX_TOKEN_DRAWS = 5;

    private final Database database;
    private final Config config;
    private final Tokens tokens;
    private final Clock clock;
    private final SessionService sessions;
    private final FileService files;
    private final RateLimiter createLimiter;
    private final RoomsChangedListener listener;
    /**
     * Live rooms by token: every join looks its room up twice (REST and join_room), and a room's row
     * never changes while it is live. Rooms are deleted only once expired, and a cached row found
     * expired is read again, so expiry, deletion and a re-created DM room answer as without the
     * cache. Misses are not cached (a room created by another instance is found at once).
     */
    private final Cache<String, RoomRow> liveRooms = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    /** Told when something a public room list shows may have changed. */
    public interface RoomsChangedListener {
        void publicRoomsChanged();
    }

    public RoomService(Database database, Config config, Tokens tokens, Clock clock, SessionService sessions,
                       FileService files, RateLimiter createLimiter, RoomsChangedListener listener) {
        this.files = files;
        this.database = database;
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
        this.sessions = sessions;
        this.listener = listener;
        this.createLimiter = createLimiter;
    }

    public CreatedRoom create(CreateRoomRequest request, String clientIp) {
        boolean dm = Boolean.TRUE.equals(request.isDM());
        String name = RoomRules.name(request.name());
        double ttlHours = RoomRules.ttlHours(request.ttlHours(), config.roomTtlHours());
        if (dm) {
            name = RoomRules.dmName(name);
        }
        createLimiter.acquire(clientIp);
        Instant now = clock.instant();
        Instant expiresAt = now.plusMillis(Math.max(1, Math.round(ttlHours * 3_600_000d)));
        RoomRow room = dm ? createDm(name, now, expiresAt) : createRoom(name, Boolean.TRUE.equals(request.isPublic()), now, expiresAt);
        liveRooms.put(room.token(), room); // its creator joins it next
        if (room.isPublic()) {
            listener.publicRoomsChanged();
        }
        return new CreatedRoom(room.token(), room.name(), Timestamps.format(room.expiresAt()));
    }

    private RoomRow createRoom(String name, boolean isPublic, Instant now, Instant expiresAt) {
        return createRoom(name, isPublic, now, expiresAt, tokens::newRoomToken);
    }

    /**
     * Inserts a room under a fresh random token. A token already taken inserts nothing (ON CONFLICT
     * DO NOTHING: no error, nothing in PostgreSQL's log) and another is drawn; 36^8 tokens make a
     * second draw rare and a fifth failure means the token source is broken, not unlucky.
     */
    RoomRow createRoom(String name, boolean isPublic, Instant now, Instant expiresAt, Supplier<String> newToken) {
        RoomDao rooms = database.dao(RoomDao.class);
        for (int attempt = 0; attempt < MAX_TOKEN_DRAWS; attempt++) {
            String token = newToken.get();
            Optional<Long> id = rooms.insert(token, name, isPublic, false, config.roomMaxCapacity(), now, expiresAt);
            if (id.isPresent()) {
                return new RoomRow(id.get(), token, name, isPublic, false, config.roomMaxCapacity(), now,
                        expiresAt);
            }
        }
        throw new IllegalStateException("no free room token in " + MAX_TOKEN_DRAWS + " draws");
    }

    /**
     * DM rooms are deterministic: re-creating an active one returns it; an expired one is replaced.
     * Creators racing for one DM room all get the same room and none an error: the insert of a taken
     * token inserts nothing (ON CONFLICT DO NOTHING), after waiting for the transaction that holds it,
     * and the loser then reads the winner's committed row (READ COMMITTED: each statement sees every
     * commit before it). Two creators replacing one expired room both delete it (the second deletes
     * nothing once the first committed) and both insert; one wins the same way.
     */
    private RoomRow createDm(String name, Instant now, Instant expiresAt) {
        String token = Tokens.dmRoomToken(name);
        for (int attempt = 0; attempt < MAX_TOKEN_DRAWS; attempt++) {
            List<String> replacedFiles = new ArrayList<>();
            Optional<RoomRow> room = database.jdbi().inTransaction(handle -> {
                RoomDao rooms = handle.attach(RoomDao.class);
                Optional<RoomRow> existing = rooms.findByToken(token);
                if (existing.isPresent()) {
                    if (!existing.get().expiredAt(now)) {
                        return existing;
                    }
                    long expiredId = existing.get().id();
                    // As purge(): the files' names are read before the cascade deletes their rows.
                    replacedFiles.addAll(handle.attach(AttachmentDao.class).storedNamesInRoom(expiredId));
                    rooms.delete(expiredId);
                }
                Optional<Long> id = rooms.insert(token, name, false, true, DM_CAPACITY, now, expiresAt);
                if (id.isPresent()) {
                    return Optional.of(new RoomRow(id.get(), token, name, false, true, DM_CAPACITY, now,
                            expiresAt));
                }
                // Another creator's room committed first: it is the room both asked for.
                return rooms.findByToken(token).filter(winner -> !winner.expiredAt(now));
            });
            // The replaced room's files, once its rows are gone for good (committed).
            files.deleteStoredLater(replacedFiles);
            if (room.isPresent()) {
                return room.get();
            }
            // The winner's room was already expired or gone again by our read: start over.
        }
        throw new IllegalStateException("DM room could not be created in " + MAX_TOKEN_DRAWS + " attempts");
    }

    /** The room, or ROOM_NOT_FOUND / ROOM_EXPIRED. */
    public RoomRow activeRoom(String token) {
        if (!Tokens.isRoomTokenShaped(token)) {
            throw new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND);
        }
        Instant now = clock.instant();
        RoomRow cached = liveRooms.getIfPresent(token);
        if (cached != null && !cached.expiredAt(now)) {
            return cached;
        }
        RoomRow room = database.dao(RoomDao.class).findByToken(token)
                .orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND));
        if (room.expiredAt(now)) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        liveRooms.put(token, room);
        return room;
    }

    public RoomInfo info(String token) {
        RoomRow room = activeRoom(token);
        int participants = database.dao(RoomDao.class).countSessions(room.id());
        return new RoomInfo(room.token(), room.name(), room.isPublic(), Timestamps.format(room.expiresAt()),
                participants, Timestamps.format(room.createdAt()));
    }

    /** Throws unless a new member could join now. */
    public void validate(String token) {
        RoomRow room = activeRoom(token);
        if (database.dao(RoomDao.class).countSessions(room.id()) >= room.capacity()) {
            throw new GhostRoomsException(ErrorCode.ROOM_FULL);
        }
    }

    /** Creates a session in the room; capacity and nickname uniqueness hold under concurrent joins. */
    public JoinedRoom join(String roomToken, String rawNickname) {
        String nickname = RoomRules.nickname(rawNickname);
        String key = RoomRules.nicknameKey(nickname);
        RoomRow found = activeRoom(roomToken);
        String sessionToken = tokens.newSessionToken();
        long sessionId;
        try {
            sessionId = database.jdbi().inTransaction(handle -> {
                MembershipDao members = new MembershipDao(handle);
                RoomRow room = members.lockRoom(found.id()).orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND));
                Instant now = clock.instant();
                if (room.expiredAt(now)) {
                    throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
                }
                OptionalLong inserted = members.insertSessionIfRoom(Tokens.hash(sessionToken), room.id(), nickname, key,
                        now, room.capacity());
                if (inserted.isPresent()) {
                    return inserted.getAsLong();
                }
                MembershipDao.Occupancy occupancy = members.occupancy(room.id(), key);
                throw new GhostRoomsException(occupancy.nicknameTaken() ? ErrorCode.NICKNAME_IN_USE : ErrorCode.ROOM_FULL);
            });
        } catch (RuntimeException e) {
            // The unique (room, nickname) constraint caught a race the count did not.
            if (Failures.isUniqueViolation(e)) {
                throw new GhostRoomsException(ErrorCode.NICKNAME_IN_USE);
            }
            throw e;
        }
        sessions.created(sessionToken, new SessionContext(sessionId, nickname, found.id(), found.token(),
                found.isPublic(), found.expiresAt()));
        if (found.isPublic()) {
            listener.publicRoomsChanged();
        }
        return new JoinedRoom(sessionToken, nickname, found.token());
    }

    /** Expired rooms, oldest expiry first, at most {@code limit}. */
    public List<RoomRow> expiredRooms(int limit) {
        return endingBy(clock.instant(), limit);
    }

    /** Rooms that end at or before {@code at}, soonest first, at most {@code limit}. */
    public List<RoomRow> endingBy(Instant at, int limit) {
        return database.dao(RoomDao.class).findExpired(at, limit);
    }

    /**
     * Deletes a room with its sessions, messages and attachment rows (cascade); returns the stored
     * names of its files, which the caller deletes from storage.
     */
    public List<String> purge(long roomId) {
        return database.jdbi().inTransaction(handle -> {
            List<String> files = handle.attach(AttachmentDao.class).storedNamesInRoom(roomId);
            handle.attach(RoomDao.class).delete(roomId);
            return files;
        });
    }
}
