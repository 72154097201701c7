package io.ghostrooms.server.rooms;

import io.ghostrooms.persistence.rooms.RoomRow;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.rest.RoomInfo;
import io.ghostrooms.protocol.rest.UpdateRoomRequest;
import io.ghostrooms.protocol.socket.ParticipantChange;
import io.ghostrooms.protocol.socket.RoomClosed;
import io.ghostrooms.protocol.socket.RoomTtlExtended;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.config.Config;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.sessions.Tokens;
import io.ghostrooms.server.transport.OutboundEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The owner's use cases (PROTOCOL "Room controls"): close the room, set its expiry, lock it, remove
 * a member. Each takes the owner token first: a wrong or missing one, an unknown room and a room
 * without owner all get the one FORBIDDEN answer (so the controls tell nobody whether a room
 * exists), and every such failure spends the caller's lookup budget. REST calls these on workers.
 */
public final class RoomControls {
    /** The one refusal of every control, whatever was wrong. */
    static final String NOT_OWNER = "Only the room's owner may do this";
    private static final Duration PENDING_WRITES_WAIT = Duration.ofSeconds(5);

    private final RoomService rooms;
    private final RoomCloser closer;
    private final Presence presence;
    private final SessionService sessions;
    private final MessageService messages;
    private final RoomBus bus;
    private final GlobalBroadcasts globals;
    private final RoomEndTimer endTimer;
    private final EmptyRoomTimer emptyTimer;
    private final RateLimiter lookups;
    private final Config config;
    private final Clock clock;
    /**
     * Owner changes of expiry run one at a time, so the in-memory copies (presence, sessions just
     * created, the room cache, the end timer) follow the stored value in commit order.
     */
    private final Object expiryChanges = new Object();
    private final Object[] kickLocks = new Object[64];

    /** A room whose owner token was presented and matched. */
    public record Owned(RoomRow room) {
    }

    public RoomControls(RoomService rooms, RoomCloser closer, Presence presence, SessionService sessions,
                        MessageService messages, RoomBus bus, GlobalBroadcasts globals, RoomEndTimer endTimer,
                        EmptyRoomTimer emptyTimer, RateLimiter lookups, Config config, Clock clock) {
        this.rooms = rooms;
        this.closer = closer;
        this.presence = presence;
        this.sessions = sessions;
        this.messages = messages;
        this.bus = bus;
        this.globals = globals;
        this.endTimer = endTimer;
        this.emptyTimer = emptyTimer;
        this.lookups = lookups;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < kickLocks.length; i++) {
            kickLocks[i] = new Object();
        }
    }

    /**
     * The room, if {@code ownerToken} is its owner token; otherwise FORBIDDEN, the same answer
     * whether the room exists or not, has an owner or not (rooms from before the controls have
     * none), or the token is malformed. The comparison is of SHA-256 digests in constant time, done
     * also when there is nothing to compare with. Ended rooms not yet deleted are the owner's too.
     */
    public Owned authorize(String roomToken, String ownerToken, String clientIp) {
        lookups.check(clientIp);
        Optional<RoomRow> room = rooms.anyRoom(roomToken);
        boolean shaped = Tokens.isSessionTokenShaped(ownerToken);
        boolean matches = Tokens.matchesHash(shaped ? ownerToken : null, room.map(RoomRow::ownerTokenHash).orElse(null));
        if (!shaped || !matches || room.isEmpty()) {
            lookups.count(clientIp);
            throw new GhostRoomsException(ErrorCode.FORBIDDEN, NOT_OWNER);
        }
        return new Owned(room.get());
    }

    /**
     * DELETE: room_closed {reason: "closed"} to every member, and the room's rows, sessions,
     * messages, attachment rows and stored files are deleted before this returns.
     */
    public void close(Owned owned) {
        RoomRow room = owned.room();
        closer.closeNow(room.token(), room.id());
    }

    /**
     * PATCH: {@code ttlHours} sets the expiry to now + ttlHours (above 0, at most 168; it may move
     * the end earlier too), and every member gets room_ttl_extended; {@code locked} locks or
     * unlocks the room to new REST joins (members stay, and a member's socket may rejoin with its
     * session). Returns the room's info as stored.
     */
    public RoomInfo update(Owned owned, UpdateRoomRequest request) {
        if (request.ttlHours() == null && request.locked() == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM, "Give ttlHours and/or locked");
        }
        Double ttlHours = request.ttlHours() == null ? null
                : RoomRules.ttlHours(request.ttlHours(), config.roomTtlHours());
        RoomRow room = owned.room();
        if (room.expiredAt(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        RoomRow updated;
        if (ttlHours == null) {
            updated = rooms.update(room, null, request.locked());
        } else {
            synchronized (expiryChanges) {
                Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.MILLIS)
                        .plusMillis(Math.max(1, Math.round(ttlHours * 3_600_000d)));
                updated = rooms.update(room, expiresAt, request.locked());
                expiryChanged(updated);
            }
        }
        if (updated.isPublic()) {
            globals.publicRoomsChanged();
        }
        return rooms.info(updated);
    }

    /** Every in-memory copy of the room's expiry follows the stored one, then the members are told. */
    private void expiryChanged(RoomRow room) {
        Instant expiresAt = room.expiresAt();
        presence.roomExpiryChanged(room.token(), room.id(), expiresAt);
        sessions.roomExpiryChanged(room.id(), expiresAt);
        endTimer.endAt(room.id(), room.token(), expiresAt);
        bus.publish(room.token(), OutboundEvent.of(Events.ROOM_TTL_EXTENDED,
                new RoomTtlExtended(Timestamps.format(expiresAt))), null);
    }

    /**
     * kick: the member holding {@code nickname} (case-insensitively) is removed. Its socket, if
     * connected, is taken out of the room first (its further sends are refused NOT_IN_ROOM), its
     * sends already queued are stored, then its session ends (row deleted: the token is refused
     * everywhere from now on), then the socket gets room_closed {reason: "removed"} and the others
     * user_left. A member joined over REST only has no socket to tell: its session just ends.
     * No such member: NOT_FOUND.
     */
    public void kick(Owned owned, String rawNickname) {
        String nickname = RoomRules.nickname(rawNickname);
        RoomRow room = owned.room();
        if (room.expiredAt(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.ROOM_EXPIRED);
        }
        Presence.Removal removal;
        // Kicks of one room one at a time: of two kicks of one member, one removes it, the other
        // finds nobody (NOT_FOUND), as after it.
        synchronized (kickLocks[(int) Math.floorMod(room.id(), (long) kickLocks.length)]) {
            long sessionId = rooms.sessionIdOf(room.id(), nickname).orElseThrow(RoomControls::noSuchMember);
            removal = presence.removeSession(room.token(), room.id(), sessionId);
            awaitPendingWrites();
            boolean deleted = sessions.endRemoved(sessionId);
            if (!deleted && removal.removed() == null) {
                throw noSuchMember(); // it left by itself meanwhile
            }
        }
        SocketState removed = removal.removed();
        if (removed != null) {
            bus.leave(removed.connection(), room.token());
            removed.connection().send(Events.ROOM_CLOSED, new RoomClosed("removed"));
            bus.publish(room.token(), OutboundEvent.of(Events.USER_LEFT, new ParticipantChange(removal.nickname(),
                    removal.after().count(), removal.after().nicknames())), null);
            if (removal.after().count() == 0 && room.vanishWhenEmpty()) {
                emptyTimer.emptied(room.id(), room.token());
            }
        }
        globals.activeUsersChanged();
        if (room.isPublic()) {
            globals.publicRoomsChanged();
        }
    }

    private static GhostRoomsException noSuchMember() {
        return new GhostRoomsException(ErrorCode.NOT_FOUND, "No member with that nickname");
    }

    /** The removed member's sends queued before the kick are stored under its session first. */
    private void awaitPendingWrites() {
        try {
            messages.afterPendingWrites().get(PENDING_WRITES_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The writer is stuck (database down): the session's delete below reports that.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
