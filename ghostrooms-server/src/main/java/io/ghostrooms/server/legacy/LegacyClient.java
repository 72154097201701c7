package io.ghostrooms.server.legacy;

import io.ghostrooms.protocol.legacy.LegacyUser;
import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.transport.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows about one socket of the legacy API: the user it registered and the legacy
 * rooms it joined, held in memory so a sendMessage is checked without a query. Changed on the
 * socket's serial executor (its events in order) and by a room's end (which only removes).
 */
final class LegacyClient {
    /** A room the socket is in: its row id, its bus room, its expiry (sends after it: ROOM_EXPIRED). */
    record JoinedRoom(long id, String legacyId, String busRoom, Instant expiresAt) {
    }

    private final Connection connection;
    private final SerialExecutor events;
    private volatile LegacyUser user;
    private final Map<String, JoinedRoom> rooms = new ConcurrentHashMap<>();

    LegacyClient(Connection connection, SerialExecutor events) {
        this.connection = connection;
        this.events = events;
    }

    Connection connection() {
        return connection;
    }

    SerialExecutor events() {
        return events;
    }

    /** The registered user, or null before register. */
    LegacyUser user() {
        return user;
    }

    void user(LegacyUser user) {
        this.user = user;
    }

    /** Rooms by their legacy id (UUID). */
    Map<String, JoinedRoom> rooms() {
        return rooms;
    }
}
