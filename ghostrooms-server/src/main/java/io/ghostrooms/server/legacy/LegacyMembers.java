package io.ghostrooms.server.legacy;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.legacy.LegacyDao;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.rooms.RoomEndListener;
import io.ghostrooms.server.transport.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy API's sockets on this node and which user each one registered, and the end of a
 * legacy room for them. It is the room closer's {@link RoomEndListener} (made before the closer,
 * which the service needs through the room-end timers): when any room ends its sockets leave its
 * bus room, and users left in no room and with no connection are deleted, so a legacy user lives
 * exactly as long as a room it is in, or its connection.
 */
public final class LegacyMembers implements RoomEndListener {
    private static final Logger log = LoggerFactory.getLogger(LegacyMembers.class);
    private static final int STRIPES = 64;
    private static final int ORPHAN_BATCH = 500;

    private final Database database;
    private final RoomBus bus;
    private final ConcurrentHashMap<String, LegacyClient> clients = new ConcurrentHashMap<>();
    /** userId -> the live socket it is registered on: a userId is one connection's at a time. */
    private final ConcurrentHashMap<String, LegacyClient> users = new ConcurrentHashMap<>();
    /**
     * One user's register, joins, leaves and deletion run one at a time (striped by userId), so a
     * deletion of a user in no room cannot pass a join of that user between its check and its insert.
     */
    private final Object[] locks = new Object[STRIPES];

    public LegacyMembers(Database database, RoomBus bus) {
        this.database = database;
        this.bus = bus;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    LegacyClient client(Connection connection, Function<Connection, LegacyClient> create) {
        return clients.computeIfAbsent(connection.id(), id -> create.apply(connection));
    }

    LegacyClient client(String connectionId) {
        return clients.get(connectionId);
    }

    LegacyClient removeClient(String connectionId) {
        return clients.remove(connectionId);
    }

    /** The live socket the user is registered on, or null. */
    LegacyClient socketOf(String userId) {
        return users.get(userId);
    }

    /** Binds the user to the socket unless another live socket holds it; true when the socket holds it now. */
    boolean bind(String userId, LegacyClient client) {
        return users.putIfAbsent(userId, client) == null || users.get(userId) == client;
    }

    void unbind(String userId, LegacyClient client) {
        users.remove(userId, client);
    }

    <T> T underUserLock(String userId, java.util.function.Supplier<T> action) {
        synchronized (locks[Math.floorMod(userId.hashCode(), STRIPES)]) {
            return action.get();
        }
    }

    /** Deletes the user unless it is in a room or registered on a live socket (call under its lock). */
    boolean deleteIfUnused(String userId) {
        if (users.containsKey(userId)) {
            return false;
        }
        return database.dao(LegacyDao.class).deleteUserIfInNoRoom(userId) > 0;
    }

    /** The users of rooms being purged right now, read before their memberships cascade away. */
    private final ConcurrentHashMap<Long, List<String>> ending = new ConcurrentHashMap<>();

    @Override
    public void roomEnding(long roomId, String token) {
        if (!token.startsWith(LegacyService.BUS_ROOM_PREFIX)) {
            return;
        }
        try {
            ending.put(roomId, database.dao(LegacyDao.class).memberIds(roomId));
        } catch (RuntimeException e) {
            log.warn("legacy room members unread, the periodic cleanup deletes them ({})", Failures.describe(e));
        }
    }

    /**
     * The room's sockets leave it, and its users now in no room and held by no socket of this
     * node are deleted: only that room's users (a node cannot see another node's sockets, so users
     * in no room that it never knew are left to the periodic cleanup, with its grace).
     */
    @Override
    public void roomEnded(long roomId, String token) {
        for (LegacyClient client : clients.values()) {
            client.rooms().values().removeIf(room -> {
                if (room.id() != roomId) {
                    return false;
                }
                bus.leave(client.connection(), room.busRoom());
                return true;
            });
        }
        List<String> members = ending.remove(roomId);
        if (members == null) {
            return;
        }
        try {
            for (String userId : members) {
                underUserLock(userId, () -> deleteIfUnused(userId));
            }
        } catch (RuntimeException e) {
            log.warn("legacy user cleanup deferred ({})", Failures.describe(e));
        }
    }

    /**
     * The backstop (at start and every cleanup interval): deletes users in no room, held by no socket
     * of this node, not registered within {@code grace} (another node sharing the database may hold
     * one it just registered; a socket whose user was deleted anyway gets it back at its next join).
     */
    public void deleteUsersInNoRoom(Instant now, java.time.Duration grace) {
        LegacyDao dao = database.dao(LegacyDao.class);
        List<String> candidates = dao.usersInNoRoom(now.minus(grace), ORPHAN_BATCH);
        int deleted = 0;
        for (String userId : candidates) {
            if (underUserLock(userId, () -> deleteIfUnused(userId))) {
                deleted++;
            }
        }
        if (deleted > 0) {
            log.debug("legacy: {} users in no room deleted", deleted);
        }
    }
}
