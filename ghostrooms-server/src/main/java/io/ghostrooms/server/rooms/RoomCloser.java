package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.RoomClosed;
import io.ghostrooms.protocol.socket.RoomTtlWarning;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.transport.OutboundEvent;
import io.ghostrooms.server.sessions.SessionService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end of a room for everyone in it, and the warnings before it. Called by the jobs and the owner's close, on workers. */
public final class RoomCloser {
    private static final Logger log = LoggerFactory.getLogger(RoomCloser.class);
    /** How long an owner's close waits for the room's queued sends to be stored. */
    private static final Duration PENDING_WRITES_WAIT = Duration.ofSeconds(5);
    /** Three of the 30 s activity flushes: a session active this lately may be connected elsewhere. */
    static final Duration RECENT = Duration.ofSeconds(90);

    private final Presence presence;
    private final RoomService rooms;
    private final MessageService messages;
    private final FileService files;
    private final RoomBus bus;
    private final GlobalBroadcasts globals;
    private final SessionService sessions;
    private final Clock clock;
    private final RoomEndListener ended;

    public RoomCloser(Presence presence, RoomService rooms, SessionService sessions, MessageService messages,
                      FileService files, RoomBus bus, GlobalBroadcasts globals, Clock clock) {
        this(presence, rooms, sessions, messages, files, bus, globals, clock, RoomEndListener.NONE);
    }

    public RoomCloser(Presence presence, RoomService rooms, SessionService sessions, MessageService messages,
                      FileService files, RoomBus bus, GlobalBroadcasts globals, Clock clock, RoomEndListener ended) {
        this.ended = ended;
        this.presence = presence;
        this.sessions = sessions;
        this.rooms = rooms;
        this.messages = messages;
        this.files = files;
        this.bus = bus;
        this.globals = globals;
        this.clock = clock;
    }

    /**
     * A room ends for everyone (expiry): room_closed to every member, who are then in no room, and
     * its rows and stored files are deleted. Idempotent.
     */
    public void close(String token, long roomId, String reason) {
        RoomClosed closed = new RoomClosed(reason);
        for (SocketState member : presence.closeRoom(token, roomId)) {
            member.connection().send(Events.ROOM_CLOSED, closed);
            bus.leave(member.connection(), token);
        }
        messages.forgetRoom(roomId);
        sessions.forgetRoom(roomId);
        rooms.forget(token, roomId);
        tellEnding(roomId, token);
        try {
            files.deleteStoredLater(rooms.purge(roomId));
        } catch (RuntimeException e) {
            log.warn("room purge deferred to cleanup ({})", Failures.describe(e));
        }
        tellEnded(roomId, token);
        globals.activeUsersChanged();
        globals.publicRoomsChanged();
    }

    /**
     * The owner's close (DELETE): as {@link #close} with reason "closed", but everything is gone
     * when this returns, stored files included: the members' sends that were already queued are
     * stored first (so none is refused half-way), then the rows and files are deleted here, on the
     * caller's worker. A database failure is the caller's error (the owner may retry), not deferred.
     */
    public void closeNow(String token, long roomId) {
        RoomClosed closed = new RoomClosed("closed");
        for (SocketState member : presence.closeRoom(token, roomId)) {
            member.connection().send(Events.ROOM_CLOSED, closed);
            bus.leave(member.connection(), token);
        }
        try {
            messages.afterPendingWrites().get(PENDING_WRITES_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The writer is stuck (database down): the purge below reports that.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messages.forgetRoom(roomId);
        sessions.forgetRoom(roomId);
        rooms.forget(token, roomId);
        tellEnding(roomId, token);
        try {
            files.deleteStoredNow(rooms.purge(roomId));
        } finally {
            tellEnded(roomId, token);
        }
        globals.activeUsersChanged();
        globals.publicRoomsChanged();
    }

    /**
     * vanishWhenEmpty: ends the room (rows, files) if still no socket is in it and no session of it
     * was active within {@link #RECENT} (a member connected to another node, whose session is marked
     * active every 30 s, or one between its REST join and its socket's join_room). A join that
     * races this either cancels it or is refused. Called by the empty-room timer, on a worker.
     *
     * @return false when the room must be looked at again later (a session was active lately)
     */
    public boolean closeIfStillEmpty(String token, long roomId) {
        if (rooms.hasSessionActiveSince(roomId, clock.instant().minus(RECENT))) {
            return false;
        }
        if (presence.endIfEmpty(token, roomId)) {
            close(token, roomId, "closed");
        }
        return true;
    }

    private void tellEnding(long roomId, String token) {
        try {
            ended.roomEnding(roomId, token);
        } catch (RuntimeException e) {
            log.warn("room end listener failed ({})", Failures.describe(e));
        }
    }

    private void tellEnded(long roomId, String token) {
        try {
            ended.roomEnded(roomId, token);
        } catch (RuntimeException e) {
            log.warn("room end listener failed ({})", Failures.describe(e));
        }
    }

    /** room_ttl_warning to every occupied room that ends within five minutes (the minute tick). */
    public void warnRoomsEndingSoon() {
        for (Presence.OccupiedRoom room : presence.occupiedRooms()) {
            long left = RoomRules.secondsLeft(clock.instant(), room.expiresAt());
            if (left > 0 && left <= RoomRules.WARNING_SECONDS) {
                bus.publish(room.token(), OutboundEvent.of(Events.ROOM_TTL_WARNING, new RoomTtlWarning(left)), null);
            }
        }
    }

}
