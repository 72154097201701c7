package io.ghostrooms.server.presence;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Names;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.transport.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who is connected, who is in which room, and the global usernames, all in memory. Membership
 * lookups and changes are O(1); participant lists are built from the room's own ordered map.
 */
public final class Presence {
    private final ConcurrentHashMap<String, SocketState> sockets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> usernames = new ConcurrentHashMap<>();
    /** Sockets that disconnected lately: a late event must not bring their state back. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> gone =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(2))
                    .maximumSize(1_000_000).build();

    /**
     * Rooms the server ended lately (expiry, the owner's close, vanish): a join that raced the end
     * must not bring the room back to life in memory. Sessions the server ended lately (the owner's
     * kick): a join_room with one that raced the kick is refused.
     */
    private final com.github.benmanes.caffeine.cache.Cache<Long, Boolean> endedRooms =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(2))
                    .maximumSize(1_000_000).build();
    private final com.github.benmanes.caffeine.cache.Cache<Long, Boolean> endedSessions =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(2))
                    .maximumSize(1_000_000).build();
    /**
     * Expiries the owner set lately, by room id. A session context read before the change (from the
     * database or the just-created cache) may reach {@link #join} after it: the join takes this one.
     * Two minutes is far longer than any join takes from its lookup to here.
     */
    private final com.github.benmanes.caffeine.cache.Cache<Long, Instant> changedExpiries =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(2))
                    .maximumSize(100_000).build();

    /** A room with members: sockets in join order, and the room facts jobs need. */
    private static final class Room {
        final long roomId;
        /** Written under the room's monitor (an owner's change), read by the minute's TTL warnings. */
        volatile Instant expiresAt;
        final boolean isPublic;
        final LinkedHashMap<String, SocketState> members = new LinkedHashMap<>();

        Room(SessionContext session) {
            this.roomId = session.roomId();
            this.expiresAt = session.roomExpiresAt();
            this.isPublic = session.roomIsPublic();
        }
    }

    /** An occupied room as the TTL and expiry jobs see it. */
    public record OccupiedRoom(String token, long roomId, Instant expiresAt, boolean isPublic) {
    }

    /**
     * The socket's state, created on first sight. With long-polling, the connect packet and the
     * first event can arrive on different HTTP connections and event loops, so an event may be
     * handled before the connect listener ran.
     */
    public SocketState connect(Connection connection, Function<Connection, SocketState> create) {
        if (gone.getIfPresent(connection.id()) != null) {
            return null;
        }
        return sockets.computeIfAbsent(connection.id(), key -> create.apply(connection));
    }

    public SocketState socket(String id) {
        return sockets.get(id);
    }

    /** Forgets a socket and its username; the caller leaves its room first. */
    public SocketState disconnect(String id) {
        gone.put(id, Boolean.TRUE);
        SocketState state = sockets.remove(id);
        if (state != null && state.username() != null) {
            usernames.remove(key(state.username()), id);
        }
        return state;
    }

    public int connectedCount() {
        return sockets.size();
    }

    /**
     * Adds the socket to its session's room. Another socket holding the same session (a reconnect
     * that raced the old socket's timeout) is taken out of the room and returned, without ending
     * the session. The socket's session is then {@code session}, or a copy with the room's expiry
     * as its owner set it meanwhile. A room or session the server ended while the join ran is
     * refused (ROOM_NOT_FOUND, INVALID_SESSION) and the socket is in no room.
     */
    public SocketState join(SocketState state, SessionContext session) {
        refuseEnded(session);
        Room room = rooms.compute(session.roomToken(), (token, existing) -> existing != null ? existing : new Room(session));
        SocketState replaced = null;
        SessionContext joined = session;
        synchronized (room) {
            Instant changed = changedExpiries.getIfPresent(session.roomId());
            if (changed != null && room.roomId == session.roomId()) {
                joined = session.withRoomExpiresAt(changed);
                room.expiresAt = changed;
            }
            for (SocketState member : room.members.values()) {
                if (member.session() != null && member.session().sessionId() == session.sessionId() && member != state) {
                    replaced = member;
                }
            }
            if (replaced != null) {
                room.members.remove(replaced.id());
                replaced.session(null);
            }
            room.members.put(state.id(), state);
            state.session(joined);
        }
        ensureRegistered(session.roomToken(), room);
        if (endedRooms.getIfPresent(session.roomId()) != null || endedSessions.getIfPresent(session.sessionId()) != null) {
            // The room or the session ended while this join ran: it does not stay.
            leave(state);
            refuseEnded(session);
        }
        return replaced;
    }

    private void refuseEnded(SessionContext session) {
        if (endedRooms.getIfPresent(session.roomId()) != null) {
            throw new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND);
        }
        if (endedSessions.getIfPresent(session.sessionId()) != null) {
            throw new GhostRoomsException(ErrorCode.INVALID_SESSION);
        }
    }

    /** A concurrent removal of the last member may have dropped the map entry: put it back. */
    private void ensureRegistered(String token, Room room) {
        rooms.compute(token, (t, current) -> {
            if (current == null || current == room) {
                return room;
            }
            synchronized (room) {
                synchronized (current) {
                    current.members.putAll(room.members);
                }
            }
            return current;
        });
    }

    /** Takes the socket out of its room; returns who remains, or null if it was in none. */
    public Participants leave(SocketState state) {
        SessionContext session = state.session();
        if (session == null) {
            return null;
        }
        Room room = rooms.get(session.roomToken());
        if (room == null) {
            state.session(null);
            return new Participants(List.of());
        }
        Participants after;
        boolean empty;
        synchronized (room) {
            // Under the room's monitor, as every other writer of a member's session (an owner's
            // change of expiry must not hand a session back to a socket that is leaving).
            state.session(null);
            room.members.remove(state.id());
            after = snapshot(room);
            empty = room.members.isEmpty();
        }
        if (empty) {
            // Lock order is always map bin, then room (as in ensureRegistered).
            rooms.computeIfPresent(session.roomToken(), (t, current) -> {
                synchronized (current) {
                    return current == room && current.members.isEmpty() ? null : current;
                }
            });
        }
        return after;
    }

    /**
     * Empties a room the server ended: returns the sockets that were in it, now in no room. Only the
     * room with that id: a DM token may already name a newer room.
     */
    public List<SocketState> closeRoom(String token, long roomId) {
        endedRooms.put(roomId, Boolean.TRUE);
        Room room = rooms.get(token);
        if (room == null || room.roomId != roomId || !rooms.remove(token, room)) {
            return List.of();
        }
        synchronized (room) {
            List<SocketState> members = new ArrayList<>(room.members.values());
            members.forEach(m -> {
                m.session(null);
                m.sessionEndedByServer(true);
            });
            room.members.clear();
            return members;
        }
    }

    /**
     * Ends the room in memory if no socket is in it (vanishWhenEmpty): true when it was empty and
     * is now ended (joins that race it are refused), false when someone is in it or joining it.
     */
    public boolean endIfEmpty(String token, long roomId) {
        boolean[] ended = {false};
        rooms.compute(token, (t, existing) -> {
            if (existing != null && existing.roomId == roomId) {
                return existing; // a member, or a join under way (an entry exists from its first step)
            }
            endedRooms.put(roomId, Boolean.TRUE);
            ended[0] = true;
            return existing;
        });
        return ended[0];
    }

    /**
     * What {@link #removeSession} did: the socket taken out (null if none was connected), the
     * nickname it was in the room with, and who remains.
     */
    public record Removal(SocketState removed, String nickname, Participants after) {
    }

    /**
     * Takes the socket holding a session out of its room (the owner's kick): it is then in no room
     * and its heartbeat answers SESSION_EXPIRED; a join_room with that session that races this is
     * refused. Call before the session's row is deleted.
     */
    public Removal removeSession(String token, long roomId, long sessionId) {
        endedSessions.put(sessionId, Boolean.TRUE);
        Room room = rooms.get(token);
        if (room == null || room.roomId != roomId) {
            return new Removal(null, null, new Participants(List.of()));
        }
        SocketState removed = null;
        String nickname = null;
        Participants after;
        boolean empty;
        synchronized (room) {
            for (SocketState member : room.members.values()) {
                if (member.session() != null && member.session().sessionId() == sessionId) {
                    removed = member;
                }
            }
            if (removed != null) {
                nickname = removed.session().nickname();
                room.members.remove(removed.id());
                removed.session(null);
                removed.sessionEndedByServer(true);
            }
            after = snapshot(room);
            empty = room.members.isEmpty();
        }
        if (empty) {
            rooms.computeIfPresent(token, (t, current) -> {
                synchronized (current) {
                    return current == room && current.members.isEmpty() ? null : current;
                }
            });
        }
        return new Removal(removed, nickname, after);
    }

    /**
     * The owner set a new expiry: the room's TTL warnings and every member's session (which
     * send_message and heartbeat check in memory) follow, and so does a join under way.
     */
    public void roomExpiryChanged(String token, long roomId, Instant expiresAt) {
        changedExpiries.put(roomId, expiresAt);
        Room room = rooms.get(token);
        if (room == null || room.roomId != roomId) {
            return;
        }
        synchronized (room) {
            room.expiresAt = expiresAt;
            for (SocketState member : room.members.values()) {
                SessionContext s = member.session();
                if (s != null && s.roomId() == roomId) {
                    member.session(s.withRoomExpiresAt(expiresAt));
                }
            }
        }
    }

    public Participants participants(String token) {
        Room room = rooms.get(token);
        if (room == null) {
            return new Participants(List.of());
        }
        synchronized (room) {
            return snapshot(room);
        }
    }

    private static Participants snapshot(Room room) {
        List<String> names = new ArrayList<>(room.members.size());
        Set<Long> seen = new HashSet<>();
        for (SocketState member : room.members.values()) {
            SessionContext s = member.session();
            if (s != null && seen.add(s.sessionId())) {
                names.add(s.nickname());
            }
        }
        return new Participants(List.copyOf(names));
    }

    /** Rooms with at least one member connected to this node. */
    public int occupiedRoomCount() {
        return rooms.size();
    }

    public List<OccupiedRoom> occupiedRooms() {
        List<OccupiedRoom> result = new ArrayList<>(rooms.size());
        rooms.forEach((token, room) -> result.add(new OccupiedRoom(token, room.roomId, room.expiresAt, room.isPublic)));
        return result;
    }

    /** Session ids of every socket in a room: they are active by being connected. */
    public Set<Long> joinedSessionIds() {
        Set<Long> ids = new HashSet<>();
        for (SocketState s : sockets.values()) {
            SessionContext session = s.session();
            if (session != null) {
                ids.add(session.sessionId());
            }
        }
        return ids;
    }

    /** Claims a global username (case-insensitive) for the socket, releasing its previous one. */
    public void claimUsername(SocketState state, String username) {
        String wanted = key(username);
        String holder = usernames.putIfAbsent(wanted, state.id());
        if (holder != null && !holder.equals(state.id())) {
            throw new GhostRoomsException(ErrorCode.USERNAME_TAKEN);
        }
        String previous = state.username();
        if (previous != null && !key(previous).equals(wanted)) {
            usernames.remove(key(previous), state.id());
        }
        state.username(username);
    }

    /**
     * Global usernames (set_username) of connected sockets. Room nicknames are not listed: this
     * list goes to every connected socket, and who is in a private room is for its members only
     * (it also kept the list, and so the broadcast, the size of the whole server).
     */
    public List<String> activeUsers() {
        if (usernames.isEmpty()) {
            return List.of();
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (SocketState s : sockets.values()) {
            String name = s.username();
            if (name != null) {
                unique.putIfAbsent(key(name), name);
            }
        }
        List<String> names = new ArrayList<>(unique.values());
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }

    private static String key(String name) {
        return Names.key(name);
    }
}
