package io.ghostrooms.server.socket;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.ActiveUsers;
import io.ghostrooms.protocol.socket.JoinRoomPayload;
import io.ghostrooms.protocol.socket.ParticipantChange;
import io.ghostrooms.protocol.socket.PublicRoomsUpdate;
import io.ghostrooms.protocol.socket.RoomJoined;
import io.ghostrooms.protocol.socket.RoomLeft;
import io.ghostrooms.protocol.socket.SendAck;
import io.ghostrooms.protocol.socket.UsernameSet;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.jobs.RoomLifecycle;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Participants;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.presence.Usernames;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO events of the contract. Listeners run on Netty event loops, so each event is only
 * handed to its socket's serial executor (worker pool); handlers translate payloads to service calls
 * and results or errors to events.
 */
public final class SocketGateway {
    private static final Logger log = LoggerFactory.getLogger(SocketGateway.class);
    private static final int MAX_PENDING_EVENTS_PER_SOCKET = 256;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Presence presence;
    private final RoomService rooms;
    private final SessionService sessions;
    private final MessageService messages;
    private final FileService files;
    private final RoomLifecycle lifecycle;
    private final GlobalBroadcasts globals;
    private final SocketNotifier notifier;
    private final Executor workers;
    /** Every event counts, not only messages: one socket cannot keep the worker pool busy. */
    private final io.ghostrooms.server.common.RateLimiter eventLimiter;

    public SocketGateway(Presence presence, RoomService rooms, SessionService sessions, MessageService messages,
                         FileService files, RoomLifecycle lifecycle, GlobalBroadcasts globals,
                         SocketNotifier notifier, Executor workers, int eventsPerMinute) {
        this.eventLimiter = new io.ghostrooms.server.common.RateLimiter(eventsPerMinute, java.time.Duration.ofMinutes(1));
        this.presence = presence;
        this.rooms = rooms;
        this.sessions = sessions;
        this.messages = messages;
        this.files = files;
        this.lifecycle = lifecycle;
        this.globals = globals;
        this.notifier = notifier;
        this.workers = workers;
    }

    public void register(SocketIOServer server) {
        server.addConnectListener(this::onConnect);
        server.addDisconnectListener(this::onDisconnect);
        on(server, Events.SET_USERNAME, (state, data, ack) -> setUsername(state, data));
        on(server, Events.GET_ACTIVE_USERS, (state, data, ack) -> {
            notifier.toClient(state.client(), Events.ACTIVE_USERS, new ActiveUsers(presence.activeUsers()));
            return DONE;
        });
        on(server, Events.GET_PUBLIC_ROOMS, (state, data, ack) -> {
            notifier.toClient(state.client(), Events.PUBLIC_ROOMS_UPDATE, new PublicRoomsUpdate(rooms.listPublic()));
            return DONE;
        });
        on(server, Events.JOIN_ROOM, (state, data, ack) -> joinRoom(state, data));
        on(server, Events.SEND_MESSAGE, this::sendMessage);
        on(server, Events.DELETE_MESSAGE, (state, data, ack) -> deleteMessage(state, data));
        on(server, Events.LEAVE_ROOM, (state, data, ack) -> {
            leave(state, true);
            return DONE;
        });
        on(server, Events.HEARTBEAT, (state, data, ack) -> heartbeat(state));
    }

    @FunctionalInterface
    private interface Handler {
        CompletionStage<?> handle(SocketState state, JsonNode data, AckRequest ack);
    }

    /** netty-socketio calls this once the handshake request has been fully handled. */
    private void onConnect(SocketIOClient client) {
        HandshakeHeaders.keepOnlyOrigin(client.getHandshakeData().getHttpHeaders());
        stateOf(client);
    }

    private SocketState stateOf(SocketIOClient client) {
        return presence.connect(client.getSessionId(),
                id -> new SocketState(client, new SerialExecutor(workers, MAX_PENDING_EVENTS_PER_SOCKET)));
    }

    /** Registers a listener that only queues the work on the socket's serial executor. */
    private void on(SocketIOServer server, String event, Handler handler) {
        server.addEventListener(event, JsonNode.class, (client, data, ack) -> {
            SocketState state = stateOf(client);
            if (state == null) {
                return;
            }
            try {
                eventLimiter.acquire(state.id().toString());
            } catch (GhostRoomsException e) {
                reportError(state, ack, e);
                return;
            }
            try {
                state.events().submit(() -> run(state, event, handler, data, ack));
            } catch (RejectedExecutionException e) {
                reportError(state, ack, new GhostRoomsException(ErrorCode.SERVER_BUSY));
            }
        });
    }

    private CompletionStage<?> run(SocketState state, String event, Handler handler, JsonNode data, AckRequest ack) {
        CompletionStage<?> stage;
        try {
            stage = handler.handle(state, data, ack);
        } catch (Throwable t) {
            reportError(state, ack, Failures.translate(t));
            return DONE;
        }
        return stage.exceptionally(t -> {
            reportError(state, ack, Failures.translate(t));
            return null;
        });
    }

    /** With an ack callback the error goes to the ack ({ok:false}); without one, as an error event. */
    private void reportError(SocketState state, AckRequest ack, GhostRoomsException error) {
        if (ack != null && ack.isAckRequested()) {
            ack.sendAckData(SendAck.failed(SocketNotifier.toWire(error)));
        } else {
            notifier.error(state.client(), error);
        }
    }

    private CompletionStage<?> setUsername(SocketState state, JsonNode data) {
        String username = Usernames.validate(Payloads.username(data));
        presence.claimUsername(state, username);
        notifier.toClient(state.client(), Events.USERNAME_SET, new UsernameSet(username));
        globals.activeUsersChanged();
        return DONE;
    }

    private CompletionStage<?> joinRoom(SocketState state, JsonNode data) {
        JoinRoomPayload payload = Payloads.joinRoom(data);
        if (payload.roomToken() == null) {
            throw new GhostRoomsException(ErrorCode.ROOM_NOT_FOUND);
        }
        rooms.activeRoom(payload.roomToken());
        if (payload.sessionToken() == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_SESSION);
        }
        SessionContext session = sessions.authenticate(payload.sessionToken(), ErrorCode.INVALID_SESSION);
        if (!session.roomToken().equals(payload.roomToken())) {
            throw new GhostRoomsException(ErrorCode.INVALID_SESSION);
        }
        SessionContext current = state.session();
        if (current != null && current.sessionId() == session.sessionId()) {
            return DONE;
        }
        if (current != null) {
            leave(state, true);
        }
        String token = session.roomToken();
        return messages.joinInOrder(session.roomId(), history -> {
            SocketState replaced = presence.join(state, session);
            if (replaced != null) {
                replaced.client().leaveRoom(token);
            }
            state.client().joinRoom(token);
            Participants now = presence.participants(token);
            notifier.toClient(state.client(), Events.ROOM_JOINED,
                    new RoomJoined(token, now.count(), now.nicknames(), history));
            if (replaced == null) {
                notifier.toRoomExcept(token, state.client(), Events.USER_JOINED,
                        new ParticipantChange(session.nickname(), now.count(), now.nicknames()));
            }
        }).thenRun(() -> {
            sessions.touch(session.sessionId());
            globals.activeUsersChanged();
            if (session.roomIsPublic()) {
                globals.publicRoomsChanged();
            }
            lifecycle.joined(state, session);
        });
    }

    private CompletionStage<?> sendMessage(SocketState state, JsonNode data, AckRequest ack) {
        SessionContext session = state.session();
        if (session == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        messages.send(session, Payloads.sendMessage(data)).whenComplete((message, failure) -> {
            if (failure != null) {
                reportError(state, ack, Failures.translate(failure));
            } else if (ack != null && ack.isAckRequested()) {
                ack.sendAckData(SendAck.ok(message));
            }
        });
        // The next event may start now: the writer queue keeps this socket's messages in order.
        return DONE;
    }

    private CompletionStage<?> deleteMessage(SocketState state, JsonNode data) {
        SessionContext session = state.session();
        if (session == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        return messages.delete(session, Payloads.messageId(data)).thenAccept(files::deleteStoredLater);
    }

    private CompletionStage<?> heartbeat(SocketState state) {
        SessionContext session = state.session();
        if (session == null || lifecycle.isExpired(session)) {
            throw new GhostRoomsException(ErrorCode.SESSION_EXPIRED);
        }
        sessions.touch(session.sessionId());
        return DONE;
    }

    /** leave_room and disconnect: tell the others, end the session. */
    private void leave(SocketState state, boolean tellLeaver) {
        SessionContext session = state.session();
        if (session == null) {
            return;
        }
        Participants after = presence.leave(state);
        if (after == null) {
            return;
        }
        String token = session.roomToken();
        state.client().leaveRoom(token);
        notifier.toRoom(token, Events.USER_LEFT,
                new ParticipantChange(session.nickname(), after.count(), after.nicknames()));
        if (tellLeaver) {
            notifier.toClient(state.client(), Events.ROOM_LEFT, new RoomLeft(session.nickname()));
        }
        try {
            sessions.end(session.sessionId());
        } catch (RuntimeException e) {
            Failures.translate(e);
        }
        globals.activeUsersChanged();
        if (session.roomIsPublic()) {
            globals.publicRoomsChanged();
        }
    }

    private void onDisconnect(SocketIOClient client) {
        SocketState state = presence.socket(client.getSessionId());
        if (state == null) {
            presence.disconnect(client.getSessionId());
            return;
        }
        Function<Void, Void> finish = v -> {
            presence.disconnect(client.getSessionId());
            globals.activeUsersChanged();
            return null;
        };
        try {
            state.events().submit(() -> {
                try {
                    leave(state, false);
                } catch (RuntimeException e) {
                    log.warn("leave on disconnect failed ({})", Failures.describe(e));
                }
                finish.apply(null);
                return DONE;
            });
        } catch (RejectedExecutionException e) {
            finish.apply(null);
        }
    }
}
