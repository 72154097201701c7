package io.ghostrooms.server.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.persistence.sessions.MembershipDao;
import io.ghostrooms.persistence.sessions.SessionDao;
import io.ghostrooms.persistence.sessions.SessionRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Session lookup and ending, and batched last-active timestamps (never one UPDATE per message). */
public final class SessionService {
    private final Database database;
    private final Clock clock;
    private final Set<Long> touched = ConcurrentHashMap.newKeySet();
    /**
     * Sessions a REST join created moments ago, by token hash, until their first use. The client
     * joins over Socket.IO right after, and reading back the row this process has just written cost
     * two queries per join. One use each and held far shorter than the shortest idle timeout (1 min),
     * so the row can only have gone with an expired room, and an expired room is looked up as before.
     */
    private final Cache<String, SessionContext> justCreated = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    public SessionService(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * The session with its room. {@code missing} is the code for an unknown token (UNAUTHORIZED on
     * REST, INVALID_SESSION on sockets); an expired room gives ROOM_EXPIRED.
     */
    public SessionContext authenticate(String sessionToken, ErrorCode missing) {
        if (!Tokens.isSessionTokenShaped(sessionToken)) {
            throw new GhostRoomsException(missing);
        }
        String tokenHash = Tokens.hash(sessionToken);
        SessionContext fresh = justCreated.asMap().remove(tokenHash);
        if (fresh != null && fresh.roomExpiresAt().isAfter(clock.instant())) {
            return fresh;
        }
        SessionRow session = database.dao(SessionDao.class).findByTokenHash(tokenHash)
                .orElseThrow(() -> new GhostRoomsException(missing));
        RoomRow room = database.dao(RoomDao.class).findById(session.roomId())
                .orElseThrow(() -> new GhostRoomsException(missing));
        if (room.expiredAt(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        return new SessionContext(session.id(), session.nickname(), room.id(), room.token(), room.isPublic(),
                room.expiresAt(), room.vanishWhenEmpty());
    }

    /** Remembers a session just created (and committed) so that its first use costs no query. */
    public void created(String sessionToken, SessionContext session) {
        justCreated.put(Tokens.hash(sessionToken), session);
    }

    /**
     * The owner set a new expiry: sessions created moments ago and not used yet carry the new one
     * (they are few, at most 30 s old; this runs once per change, never per message).
     */
    public void roomExpiryChanged(long roomId, Instant expiresAt) {
        justCreated.asMap().replaceAll((hash, s) -> s.roomId() == roomId ? s.withRoomExpiresAt(expiresAt) : s);
    }

    /** The room ended: a session created moments ago must not be answered from memory any more. */
    public void forgetRoom(long roomId) {
        justCreated.asMap().values().removeIf(s -> s.roomId() == roomId);
    }

    /**
     * Ends a session the server removed (the owner's kick): as {@link #end}, and a use of its token
     * that was not made yet is refused too, from memory as from the database.
     */
    public boolean endRemoved(long sessionId) {
        justCreated.asMap().values().removeIf(s -> s.sessionId() == sessionId);
        touched.remove(sessionId);
        return database.jdbi().withHandle(handle -> new MembershipDao(handle).deleteSession(sessionId));
    }

    public void end(long sessionId) {
        touched.remove(sessionId);
        database.jdbi().useHandle(handle -> new MembershipDao(handle).deleteSession(sessionId));
    }

    /** Marks a session active; written by {@link #flushActivity} in one batch. */
    public void touch(long sessionId) {
        touched.add(sessionId);
    }

    /** Writes the last-active time of every touched session (plus those given) in one batch. */
    public int flushActivity(Set<Long> alsoActive) {
        Set<Long> ids = new java.util.HashSet<>(alsoActive);
        for (Long id : touched) {
            if (touched.remove(id)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        database.dao(SessionDao.class).touch(ids, now);
        return ids.size();
    }

    /** Deletes sessions idle longer than the timeout, except those in {@code keep}; returns their ids. */
    public java.util.List<Long> deleteIdle(java.time.Duration idle, Set<Long> keep) {
        java.util.List<Long> idleIds = database.dao(SessionDao.class).findInactiveSince(clock.instant().minus(idle))
                .stream().filter(id -> !keep.contains(id)).toList();
        if (!idleIds.isEmpty()) {
            database.jdbi().useHandle(handle -> {
                MembershipDao members = new MembershipDao(handle);
                idleIds.forEach(members::deleteSession);
            });
        }
        return idleIds;
    }
}
