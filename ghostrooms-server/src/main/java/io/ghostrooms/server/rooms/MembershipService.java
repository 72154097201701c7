package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.ParticipantChange;
import io.ghostrooms.protocol.socket.RoomJoined;
import io.ghostrooms.protocol.socket.RoomLeft;
import io.ghostrooms.protocol.socket.RoomTtlWarning;
import io.ghostrooms.protocol.socket.UserTyping;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.RateLimits;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Participants;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import io.ghostrooms.server.transport.OutboundEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use cases of a socket in a room: join, and leave (asked for, by joining another room, or by
 * disconnecting), and typing. The socket handlers call these; with {@link RoomCloser} (a room's end
 * for everyone) and {@link RoomControls} (the owner's kick) nothing else writes membership. A
 * vanishWhenEmpty room's end is scheduled when its last socket leaves and cancelled when one joins. Each runs on the socket's serial executor, never on an
 * event loop.
 */
public final class MembershipService {
    private static final Logger log = LoggerFactory.getLogger(MembershipService.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Presence presence;
    private final SessionService sessions;
    private final MessageService messages;
    private final RoomBus bus;
    private final GlobalBroadcasts globals;
    private final RoomEndTimer endTimer;
    private final EmptyRoomTimer emptyTimer;
    private final RateLimiter lookups;
    private final RateLimiter typingLimiter;
    private final Executor workers;
    private final Clock clock;

    public MembershipService(Presence presence, SessionService sessions, MessageService messages, RoomBus bus,
                             GlobalBroadcasts globals, RoomEndTimer endTimer, EmptyRoomTimer emptyTimer,
                             RateLimiter lookups, RateLimiter typingLimiter, Executor workers, Clock clock) {
        this.emptyTimer = emptyTimer;
        this.typingLimiter = typingLimiter;
        this.presence = presence;
        this.sessions = sessions;
        this.messages = messages;
        this.bus = bus;
        this.globals = globals;
        this.endTimer = endTimer;
        this.lookups = lookups;
        this.workers = workers;
        this.clock = clock;
    }

    /**
     * join_room. The session is checked first and must belong to the room asked for: an unknown
     * session answers INVALID_SESSION whether or not the room exists, so a guessed room token is
     * never confirmed. Every failed attempt spends the client's lookup budget, the one REST room
     * lookups spend. A socket in another room leaves it first, exactly as leave_room does; joining
     * the room it is in is a no-op. The joiner gets room_joined with every message stored before
     * it, and every one stored after it as new_message (the writer orders both).
     */
    public CompletionStage<?> join(SocketState state, String roomToken, String sessionToken) {
        String ip = state.connection().remoteIp();
        lookups.check(ip);
        SessionContext session;
        try {
            session = sessionFor(roomToken, sessionToken);
        } catch (GhostRoomsException e) {
            lookups.count(ip);
            throw e;
        }
        SessionContext current = state.session();
        if (current != null && current.sessionId() == session.sessionId()) {
            return DONE;
        }
        CompletionStage<?> previousLeft = current == null ? DONE : leave(state, true);
        return previousLeft.thenCompose(v -> enter(state, session));
    }

    private SessionContext sessionFor(String roomToken, String sessionToken) {
        if (sessionToken == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_SESSION);
        }
        SessionContext session = sessions.authenticate(sessionToken, ErrorCode.INVALID_SESSION);
        if (!session.roomToken().equals(roomToken)) {
            throw new GhostRoomsException(ErrorCode.INVALID_SESSION);
        }
        return session;
    }

    private CompletionStage<?> enter(SocketState state, SessionContext session) {
        String token = session.roomToken();
        return messages.joinInOrder(session.roomId(), history -> {
            SocketState replaced = presence.join(state, session);
            if (session.roomVanishesWhenEmpty()) {
                emptyTimer.occupied(session.roomId());
            }
            if (replaced != null) {
                bus.leave(replaced.connection(), token);
            }
            bus.join(state.connection(), token);
            Participants now = presence.participants(token);
            state.connection().send(Events.ROOM_JOINED, new RoomJoined(token, now.count(), now.nicknames(), history));
            if (replaced == null) {
                bus.publish(token, OutboundEvent.of(Events.USER_JOINED,
                        new ParticipantChange(session.nickname(), now.count(), now.nicknames())), state.id());
            }
        }).thenRun(() -> {
            sessions.touch(session.sessionId());
            globals.activeUsersChanged();
            if (session.roomIsPublic()) {
                globals.publicRoomsChanged();
            }
            // The session as joined: its expiry is the owner's latest if it changed since the lookup.
            SessionContext joined = state.session();
            Instant expiresAt = joined != null && joined.sessionId() == session.sessionId()
                    ? joined.roomExpiresAt() : session.roomExpiresAt();
            long left = RoomRules.secondsLeft(clock.instant(), expiresAt);
            if (left <= RoomRules.WARNING_SECONDS) {
                state.connection().send(Events.ROOM_TTL_WARNING, new RoomTtlWarning(left));
            }
            endTimer.endAt(session.roomId(), token, expiresAt);
        });
    }

    /**
     * leave_room (and the first half of a disconnect or of joining another room). The socket's sends
     * that arrived before are stored, broadcast and acknowledged first; then the session ends, and
     * only then do the others get user_left: once anyone has seen it, the old session token is
     * refused everywhere. Not in a room: nothing.
     */
    public CompletionStage<Void> leave(SocketState state, boolean tellLeaver) {
        SessionContext session = state.session();
        if (session == null) {
            return DONE;
        }
        return messages.afterPendingWrites()
                .handleAsync((stored, busy) -> {
                    finishLeaving(state, session, tellLeaver);
                    return null;
                }, workers);
    }

    private void finishLeaving(SocketState state, SessionContext session, boolean tellLeaver) {
        try {
            sessions.end(session.sessionId());
        } catch (RuntimeException e) {
            // Database down: the idle-session cleanup deletes it later.
            Failures.translate(e);
        }
        Participants after = presence.leave(state);
        if (after == null) {
            return; // the room ended meanwhile, and told it so
        }
        String token = session.roomToken();
        bus.leave(state.connection(), token);
        bus.publish(token, OutboundEvent.of(Events.USER_LEFT,
                new ParticipantChange(session.nickname(), after.count(), after.nicknames())), null);
        if (tellLeaver) {
            state.connection().send(Events.ROOM_LEFT, new RoomLeft(session.nickname()));
        }
        globals.activeUsersChanged();
        if (session.roomIsPublic()) {
            globals.publicRoomsChanged();
        }
        if (after.count() == 0 && session.roomVanishesWhenEmpty()) {
            emptyTimer.emptied(session.roomId(), token);
        }
    }

    /** The socket is gone: it leaves its room (no room_left) and its username is released. */
    public CompletionStage<Void> disconnect(SocketState state) {
        return leave(state, false).handle((v, failure) -> {
            if (failure != null) {
                log.warn("leave on disconnect failed ({})", Failures.describe(failure));
            }
            forget(state.id());
            return null;
        });
    }

    /** Forgets a socket whose leave could not run (its events were refused). */
    public void forget(String socketId) {
        presence.disconnect(socketId);
        globals.activeUsersChanged();
    }

    /**
     * typing (room controls): the other members get user_typing through the room bus, the sender
     * not. Never stored, and not a room event anyone could miss: a client that reconnects is not
     * told who was typing. At most {@value RateLimits#TYPING_PER_SECOND} per socket per second; the
     * excess is dropped without an error (a client sends these as the user types).
     */
    public void typing(SocketState state, boolean isTyping) {
        SessionContext session = state.session();
        if (session == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        if (!session.roomExpiresAt().isAfter(clock.instant()) || !typingLimiter.tryAcquire(state.id())) {
            return;
        }
        bus.publish(session.roomToken(), OutboundEvent.of(Events.USER_TYPING,
                new UserTyping(session.nickname(), isTyping)), state.id());
    }

    /**
     * heartbeat: marks the session active. A socket in no room gets nothing back (the lobby sends
     * heartbeats too); SESSION_EXPIRED only when the server ended the socket's session.
     */
    public void heartbeat(SocketState state) {
        SessionContext session = state.session();
        if (session == null) {
            if (state.sessionEndedByServer()) {
                throw new GhostRoomsException(ErrorCode.SESSION_EXPIRED);
            }
            return;
        }
        if (!session.roomExpiresAt().isAfter(clock.instant())) {
            throw new GhostRoomsException(ErrorCode.SESSION_EXPIRED);
        }
        sessions.touch(session.sessionId());
    }

}
