package io.ghostrooms.server.rooms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.attachments.AttachmentDao;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.persistence.sessions.SessionDao;
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
    private final RoomPasswords passwords;
    /**
     * Live rooms by token: every join looks its room up twice (REST and join_room). A live room's
     * row changes only by its owner's PATCH, which puts the new row here; a room deleted early (the
     * owner's close, vanish) is dropped from here ({@link #forget}); otherwise rooms are deleted only
     * once expired, and a cached row found expired is read again, so expiry, deletion and a
     * re-created DM room answer as without the cache. Misses are not cached (a room created by
     * another instance is found at once).
     */
    private final Cache<String, RoomRow> liveRooms = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    /**
     * Rooms whose end has begun, for longer than {@link #liveRooms} keeps an entry. A lookup that
     * read a room's row just before the room's purge would otherwise put the row back after
     * {@link #forget}, and the ended room would answer 200 (validate: joinable) for up to a minute
     * with its name (seen in CI: a vanished room still found by a GET polled every 200 ms, the
     * entry put back in the few milliseconds between forget and the purge's commit).
     */
    private final Cache<Long, Boolean> endedRooms = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(2))
            .build();

    /** Told when something a public room list shows may have changed. */
    public interface RoomsChangedListener {
        void publicRoomsChanged();
    }

    public RoomService(Database database, Config config, Tokens tokens, Clock clock, SessionService sessions,
                       FileService files, RateLimiter createLimiter, RoomsChangedListener listener) {
        this(database, config, tokens, new RoomPasswords(), clock, sessions, files, createLimiter, listener);
    }

    public RoomService(Database database, Config config, Tokens tokens, RoomPasswords passwords, Clock clock,
                       SessionService sessions, FileService files, RateLimiter createLimiter,
                       RoomsChangedListener listener) {
        this.passwords = passwords;
        this.files = files;
        this.database = database;
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
        this.sessions = sessions;
        this.listener = listener;
        this.createLimiter = createLimiter;
    }

    /**
     * Creates a room and answers its owner token (room controls), which exists only in this answer:
     * the room keeps its hash. A DM room is shared by its two members and made idempotently, so it
     * takes neither a password nor vanishWhenEmpty, and only the creator whose call inserted it
     * gets the owner token (a creator handed the existing room gets none).
     */
    public CreatedRoom create(CreateRoomRequest request, String clientIp) {
        boolean dm = Boolean.TRUE.equals(request.isDM());
        String name = RoomRules.name(request.name());
        double ttlHours = RoomRules.ttlHours(request.ttlHours(), config.roomTtlHours());
        String password = RoomPasswords.validate(request.password());
        boolean vanish = Boolean.TRUE.equals(request.vanishWhenEmpty());
        if (dm) {
            name = RoomRules.dmName(name);
            if (password != null || vanish) {
                throw new GhostRoomsException(ErrorCode.INVALID_ROOM,
                        "a DM room takes neither a password nor vanishWhenEmpty");
            }
        }
        createLimiter.acquire(clientIp);
        String ownerToken = tokens.newOwnerToken();
        Controls controls = new Controls(Tokens.hash(ownerToken), password == null ? null : passwords.hash(password),
                vanish);
        Instant now = clock.instant();
        Instant expiresAt = now.plusMillis(Math.max(1, Math.round(ttlHours * 3_600_000d)));
        RoomRow room = dm ? createDm(name, now, expiresAt, controls)
                : createRoom(name, Boolean.TRUE.equals(request.isPublic()), now, expiresAt, tokens::newRoomToken, controls);
        cacheUnlessEnded(room); // its creator joins it next (a DM room found may be ending)
        if (room.isPublic()) {
            listener.publicRoomsChanged();
        }
        boolean ours = controls.ownerTokenHash().equals(room.ownerTokenHash());
        return new CreatedRoom(room.token(), room.name(), Timestamps.format(room.expiresAt()), ours ? ownerToken : null);
    }

    /** What a new room is created with besides the seed's fields (hashes only, never the secrets). */
    record Controls(String ownerTokenHash, String passwordHash, boolean vanishWhenEmpty) {
        static final Controls NONE = new Controls(null, null, false);
    }

    RoomRow createRoom(String name, boolean isPublic, Instant now, Instant expiresAt, Supplier<String> newToken) {
        return createRoom(name, isPublic, now, expiresAt, newToken, Controls.NONE);
    }

    /**
     * Inserts a room under a fresh random token. A token already taken inserts nothing (ON CONFLICT
     * DO NOTHING: no error, nothing in PostgreSQL's log) and another is drawn; 36^8 tokens make a
     * second draw rare and a fifth failure means the token source is broken, not unlucky.
     */
    private RoomRow createRoom(String name, boolean isPublic, Instant now, Instant expiresAt, Supplier<String> newToken,
                               Controls controls) {
        RoomDao rooms = database.dao(RoomDao.class);
        for (int attempt = 0; attempt < MAX_TOKEN_DRAWS; attempt++) {
            String token = newToken.get();
            Optional<Long> id = rooms.insertWithControls(token, name, isPublic, false, config.roomMaxCapacity(), now,
                    expiresAt, controls.ownerTokenHash(), controls.passwordHash(), controls.vanishWhenEmpty());
            if (id.isPresent()) {
                return new RoomRow(id.get(), token, name, isPublic, false, config.roomMaxCapacity(), now,
                        expiresAt, controls.ownerTokenHash(), controls.passwordHash(), false,
                        controls.vanishWhenEmpty());
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
    private RoomRow createDm(String name, Instant now, Instant expiresAt, Controls controls) {
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
                Optional<Long> id = rooms.insertWithControls(token, name, false, true, DM_CAPACITY, now, expiresAt,
                        controls.ownerTokenHash(), null, false);
                if (id.isPresent()) {
                    return Optional.of(new RoomRow(id.get(), token, name, false, true, DM_CAPACITY, now,
                            expiresAt, controls.ownerTokenHash(), null, false, false));
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
        if (!cacheUnlessEnded(room)) {
            throw new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND); // being deleted: as once it is
        }
        return room;
    }

    /**
     * Caches a room read from the database, unless its end has begun meanwhile. Put first, then
     * check, while {@link #forget} marks first, then removes: whichever order the two run in, no
     * ended room stays cached.
     */
    private boolean cacheUnlessEnded(RoomRow room) {
        liveRooms.put(room.token(), room);
        if (endedRooms.getIfPresent(room.id()) != null) {
            liveRooms.asMap().remove(room.token(), room);
            return false;
        }
        return true;
    }

    public RoomInfo info(String token) {
        return info(activeRoom(token));
    }

    /** A room's info as GET /api/rooms/:token answers it (and the owner's PATCH). */
    public RoomInfo info(RoomRow room) {
        int participants = database.dao(RoomDao.class).countSessions(room.id());
        return new RoomInfo(room.token(), room.name(), room.isPublic(), Timestamps.format(room.expiresAt()),
                participants, Timestamps.format(room.createdAt()), RoomInfo.flag(room.hasPassword()),
                RoomInfo.flag(room.locked()), RoomInfo.flag(room.vanishWhenEmpty()));
    }

    /** Throws unless a new member could join now (ROOM_LOCKED, ROOM_FULL). */
    public void validate(String token) {
        RoomRow room = activeRoom(token);
        if (room.locked()) {
            throw new GhostRoomsException(ErrorCode.ROOM_LOCKED);
        }
        if (database.dao(RoomDao.class).countSessions(room.id()) >= room.capacity()) {
            throw new GhostRoomsException(ErrorCode.ROOM_FULL);
        }
    }

    /** A join without a password (rooms without one). */
    public JoinedRoom join(String roomToken, String rawNickname) {
        return join(roomToken, rawNickname, null);
    }

    /**
     * Creates a session in the room; capacity and nickname uniqueness hold under concurrent joins,
     * and so does the owner's lock (checked again under the room's row lock). A room with a password
     * needs it: none is PASSWORD_REQUIRED, another WRONG_PASSWORD (the caller has spent the client's
     * lookup budget on the attempt already). The password is checked before the row lock is taken,
     * so its slow hash never holds up other joins.
     */
    public JoinedRoom join(String roomToken, String rawNickname, String password) {
        String nickname = RoomRules.nickname(rawNickname);
        String key = RoomRules.nicknameKey(nickname);
        RoomRow found = activeRoom(roomToken);
        if (found.locked()) {
            throw new GhostRoomsException(ErrorCode.ROOM_LOCKED);
        }
        if (found.hasPassword()) {
            if (password == null || password.isEmpty()) {
                throw new GhostRoomsException(ErrorCode.PASSWORD_REQUIRED);
            }
            if (!RoomPasswords.verify(password, found.passwordHash())) {
                throw new GhostRoomsException(ErrorCode.WRONG_PASSWORD);
            }
        }
        String sessionToken = tokens.newSessionToken();
        Joined joined;
        try {
            joined = database.jdbi().inTransaction(handle -> {
                MembershipDao members = new MembershipDao(handle);
                RoomRow room = members.lockRoom(found.id()).orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND));
                Instant now = clock.instant();
                if (room.expiredAt(now)) {
                    throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
                }
                if (room.locked()) {
                    throw new GhostRoomsException(ErrorCode.ROOM_LOCKED);
                }
                OptionalLong inserted = members.insertSessionIfRoom(Tokens.hash(sessionToken), room.id(), nickname, key,
                        now, room.capacity());
                if (inserted.isPresent()) {
                    return new Joined(inserted.getAsLong(), room);
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
        // The row read under the lock: its expiry is the current one even if the owner just changed it.
        RoomRow room = joined.room();
        sessions.created(sessionToken, new SessionContext(joined.sessionId(), nickname, room.id(), room.token(),
                room.isPublic(), room.expiresAt(), room.vanishWhenEmpty()));
        if (room.isPublic()) {
            listener.publicRoomsChanged();
        }
        return new JoinedRoom(sessionToken, nickname, room.token());
    }

    private record Joined(long sessionId, RoomRow room) {
    }

    // ---------------------------------------------------------------- room controls

    /**
     * The room by token whatever its state (ended but not yet deleted included), or empty: the
     * owner's controls answer FORBIDDEN the same way for an unknown room and a wrong owner token.
     */
    public Optional<RoomRow> anyRoom(String token) {
        if (!Tokens.isRoomTokenShaped(token)) {
            return Optional.empty();
        }
        RoomRow cached = liveRooms.getIfPresent(token);
        if (cached != null) {
            return Optional.of(cached);
        }
        return database.dao(RoomDao.class).findByToken(token);
    }

    /**
     * The owner's PATCH: a new expiry and/or lock state, in one transaction, on a room that has not
     * ended (ROOM_EXPIRED if it ended meanwhile, which the SQL tells without raising). Returns the
     * room as stored; the live-room cache holds it from now on.
     */
    public RoomRow update(RoomRow room, Instant expiresAt, Boolean locked) {
        Instant now = clock.instant();
        Optional<RoomRow> updated = database.jdbi().inTransaction(handle -> {
            RoomDao dao = handle.attach(RoomDao.class);
            if (expiresAt != null && dao.setExpiry(room.id(), expiresAt, now) == 0) {
                return Optional.<RoomRow>empty();
            }
            if (locked != null && dao.setLocked(room.id(), locked, now) == 0) {
                return Optional.<RoomRow>empty();
            }
            return dao.findById(room.id());
        });
        RoomRow row = updated.orElseThrow(() -> new GhostRoomsException(ErrorCode.ROOM_EXPIRED));
        if (!cacheUnlessEnded(row)) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        return row;
    }

    /** The id of the session holding a nickname in the room (case-insensitively), if any. */
    public Optional<Long> sessionIdOf(long roomId, String nickname) {
        return database.dao(SessionDao.class).findIdByNicknameKey(roomId, RoomRules.nicknameKey(nickname));
    }

    /** The room's expiry as stored now; empty once it is deleted. */
    public Optional<Instant> storedExpiry(long roomId) {
        return database.dao(RoomDao.class).findById(roomId).map(RoomRow::expiresAt);
    }

    /** Whether a session of the room was active after {@code since} (a member elsewhere, or one just joined over REST). */
    public boolean hasSessionActiveSince(long roomId, Instant since) {
        return database.dao(SessionDao.class).anyActiveInRoomSince(roomId, since);
    }

    /** Live rooms that end when empty, at most {@code limit}. */
    public List<RoomRow> vanishingRooms(int limit) {
        return database.dao(RoomDao.class).findVanishWhenEmpty(clock.instant(), limit);
    }

    /**
     * The room's end has begun (before its rows are purged): from now on its token is not found,
     * even by a lookup that reads the row before the purge commits.
     */
    public void forget(String token, long roomId) {
        endedRooms.put(roomId, Boolean.TRUE);
        liveRooms.asMap().computeIfPresent(token, (t, cached) -> cached.id() == roomId ? null : cached);
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
