package io.ghostrooms.server.socket;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.ActiveUsers;
import io.ghostrooms.protocol.socket.JoinRoomPayload;
import io.ghostrooms.protocol.socket.PublicRoomsUpdate;
import io.ghostrooms.protocol.socket.SendAck;
import io.ghostrooms.protocol.socket.SocketError;
import io.ghostrooms.protocol.socket.UsernameSet;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.common.Telemetry;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.presence.Usernames;
import io.ghostrooms.server.rooms.GlobalBroadcasts;
import io.ghostrooms.server.rooms.MembershipService;
import io.ghostrooms.server.rooms.PublicRooms;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.transport.Ack;
import io.ghostrooms.server.transport.Connection;
import io.ghostrooms.server.transport.SocketListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Socket.IO events of the contract: each is handed to its socket's serial executor (so one
 * socket's events are handled in the order it sent them, off the event loops), its payload read
 * into the contract's records, the service called, and its result or error put on the wire.
 */
public final class SocketGateway implements SocketListener {
    private static final int MAX_PENDING_EVENTS_PER_SOCKET = 256;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @FunctionalInterface
    private interface Handler {
        CompletionStage<?> handle(SocketState state, JsonNode data, Ack ack);
    }

    private final Presence presence;
    private final MembershipService membership;
    private final MessageService messages;
    private final FileService files;
    private final PublicRooms publicRooms;
    private final GlobalBroadcasts globals;
    private final Executor workers;
    /** Every event counts, not only messages: one socket cannot keep the worker pool busy. */
    private final RateLimiter eventLimiter;
    private final Telemetry telemetry;
    private final Map<String, Handler> handlers;

    public SocketGateway(Presence presence, MembershipService membership, MessageService messages, FileService files,
                         PublicRooms publicRooms, GlobalBroadcasts globals, Executor workers, RateLimiter eventLimiter,
                         Telemetry telemetry) {
        this.telemetry = telemetry;
        this.presence = presence;
        this.membership = membership;
        this.messages = messages;
        this.files = files;
        this.publicRooms = publicRooms;
        this.globals = globals;
        this.workers = workers;
        this.eventLimiter = eventLimiter;
        this.handlers = Map.of(
                Events.SET_USERNAME, (state, data, ack) -> setUsername(state, data),
                Events.GET_ACTIVE_USERS, (state, data, ack) -> reply(state, Events.ACTIVE_USERS,
                        new ActiveUsers(presence.activeUsers())),
                Events.GET_PUBLIC_ROOMS, (state, data, ack) -> reply(state, Events.PUBLIC_ROOMS_UPDATE,
                        new PublicRoomsUpdate(publicRooms.list())),
                Events.JOIN_ROOM, (state, data, ack) -> joinRoom(state, data),
                Events.SEND_MESSAGE, this::sendMessage,
                Events.DELETE_MESSAGE, (state, data, ack) -> deleteMessage(state, data),
                Events.LEAVE_ROOM, (state, data, ack) -> membership.leave(state, true),
                Events.TYPING, (state, data, ack) -> typing(state, data),
                Events.HEARTBEAT, (state, data, ack) -> {
                    membership.heartbeat(state);
                    return DONE;
                });
    }

    @Override
    public Set<String> events() {
        return handlers.keySet();
    }

    @Override
    public void connected(Connection connection) {
        stateOf(connection);
    }

    private SocketState stateOf(Connection connection) {
        return presence.connect(connection,
                c -> new SocketState(c, new SerialExecutor(workers, MAX_PENDING_EVENTS_PER_SOCKET)));
    }

    /** On the event loop: only counts the event and queues it. */
    @Override
    public void event(Connection connection, String event, JsonNode data, Ack ack) {
        Handler handler = handlers.get(event);
        SocketState state = stateOf(connection);
        if (handler == null || state == null) {
            return;
        }
        telemetry.eventReceived(event);
        try {
            eventLimiter.acquire(state.id());
            state.events().submit(() -> run(state, handler, data, ack));
        } catch (GhostRoomsException e) {
            reportError(state, ack, e);
        } catch (RejectedExecutionException e) {
            reportError(state, ack, new GhostRoomsException(ErrorCode.SERVER_BUSY));
        }
    }

    private CompletionStage<?> run(SocketState state, Handler handler, JsonNode data, Ack ack) {
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
    private void reportError(SocketState state, Ack ack, GhostRoomsException error) {
        telemetry.error(error.code());
        SocketError wire = new SocketError(error.getMessage(), error.code().name());
        if (ack.requested()) {
            ack.send(SendAck.failed(wire));
        } else {
            state.connection().send(Events.ERROR, wire);
        }
    }

    private static CompletionStage<?> reply(SocketState state, String event, Object payload) {
        state.connection().send(event, payload);
        return DONE;
    }

    private CompletionStage<?> setUsername(SocketState state, JsonNode data) {
        String username = Usernames.validate(Payloads.username(data));
        presence.claimUsername(state, username);
        state.connection().send(Events.USERNAME_SET, new UsernameSet(username));
        globals.activeUsersChanged();
        return DONE;
    }

    private CompletionStage<?> joinRoom(SocketState state, JsonNode data) {
        JoinRoomPayload payload = Payloads.joinRoom(data);
        return membership.join(state, payload.roomToken(), payload.sessionToken());
    }

    private CompletionStage<?> sendMessage(SocketState state, JsonNode data, Ack ack) {
        SessionContext session = state.session();
        if (session == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        messages.send(session, Payloads.sendMessage(data)).whenComplete((message, failure) -> {
            if (failure != null) {
                reportError(state, ack, Failures.translate(failure));
            } else if (ack.requested()) {
                ack.send(SendAck.ok(message));
            }
        });
        // The next event may start now: the writer queue keeps this socket's messages in order,
        // and a leave waits for them to be stored.
        return DONE;
    }

    /** Not in a room is NOT_IN_ROOM whatever the payload (as send_message); then the payload's shape. */
    private CompletionStage<?> typing(SocketState state, JsonNode data) {
        if (state.session() == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        membership.typing(state, Payloads.typing(data).isTyping());
        return DONE;
    }

    private CompletionStage<?> deleteMessage(SocketState state, JsonNode data) {
        SessionContext session = state.session();
        if (session == null) {
            throw new GhostRoomsException(ErrorCode.NOT_IN_ROOM);
        }
        return messages.delete(session, Payloads.messageId(data)).thenAccept(files::deleteStoredLater);
    }

    @Override
    public void disconnected(Connection connection) {
        SocketState state = presence.socket(connection.id());
        if (state == null) {
            membership.forget(connection.id());
            return;
        }
        try {
            state.events().submit(() -> membership.disconnect(state));
        } catch (RejectedExecutionException e) {
            membership.forget(connection.id());
        }
    }
}
