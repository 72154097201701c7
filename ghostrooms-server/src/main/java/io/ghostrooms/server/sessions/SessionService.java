package io.ghostrooms.server.sessions;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.persistence.sessions.SessionDao;
import io.ghostrooms.persistence.sessions.SessionRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Session lookup and ending, and batched last-active timestamps (never one UPDATE per message). */
public final class SessionService {
    private final Database database;
    private final Clock clock;
    private final Set<Long> touched = ConcurrentHashMap.newKeySet();

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
        SessionRow session = database.dao(SessionDao.class).findByTokenHash(Tokens.hash(sessionToken))
                .orElseThrow(() -> new GhostRoomsException(missing));
        RoomRow room = database.dao(RoomDao.class).findById(session.roomId())
                .orElseThrow(() -> new GhostRoomsException(missing));
        if (room.expiredAt(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        return new SessionContext(session.id(), session.nickname(), room.id(), room.token(), room.isPublic(),
                room.expiresAt());
    }

    public void end(long sessionId) {
        touched.remove(sessionId);
        database.dao(SessionDao.class).delete(sessionId);
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
        SessionDao dao = database.dao(SessionDao.class);
        java.util.List<Long> idleIds = dao.findInactiveSince(clock.instant().minus(idle)).stream()
                .filter(id -> !keep.contains(id)).toList();
        idleIds.forEach(dao::delete);
        return idleIds;
    }
}
