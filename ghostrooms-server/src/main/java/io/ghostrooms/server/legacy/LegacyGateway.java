package io.ghostrooms.server.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.legacy.LegacyEvents;
import io.ghostrooms.protocol.legacy.LegacyResults;
import io.ghostrooms.protocol.socket.SocketError;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.SerialExecutor;
import io.ghostrooms.server.common.Telemetry;
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
 * The legacy ChatBackEnd events on the wire: each is queued on its socket's serial executor (one
 * socket's events in the order sent, off the event loops), read into strings, handed to the
 * service, and its answer sent as the original's reply event. Errors go out as {@code error
 * {message, code}} as the original sends them (our code added); a client that passed an ack
 * callback gets the answer there too (ours). The same per-socket event budget as the token API's
 * events (one counter per connection for both).
 */
public final class LegacyGateway implements SocketListener {
    private static final int MAX_PENDING_EVENTS_PER_SOCKET = 256;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @FunctionalInterface
    private interface Handler {
        CompletionStage<?> handle(LegacyClient client, JsonNode data, Ack ack);
    }

    private final LegacyService legacy;
    private final LegacyMembers members;
    private final Executor workers;
    private final RateLimiter eventLimiter;
    private final Telemetry telemetry;
    private final Map<String, Handler> handlers;

    public LegacyGateway(LegacyService legacy, LegacyMembers members, Executor workers, RateLimiter eventLimiter,
                         Telemetry telemetry) {
        this.legacy = legacy;
        this.members = members;
        this.workers = workers;
        this.eventLimiter = eventLimiter;
        this.telemetry = telemetry;
        this.handlers = Map.of(
                LegacyEvents.REGISTER, this::register,
                LegacyEvents.CREATE_ROOM, this::createRoom,
                LegacyEvents.JOIN_ROOM, this::joinRoom,
                LegacyEvents.SEND_MESSAGE, this::sendMessage,
                LegacyEvents.LEAVE_ROOM, this::leaveRoom,
                LegacyEvents.GET_ROOMS, (client, data, ack) ->
                        reply(client, ack, LegacyEvents.ROOMS_LIST, new LegacyResults.Rooms(legacy.list())));
    }

    @Override
    public Set<String> events() {
        return handlers.keySet();
    }

    /** Nothing until the first legacy event: a token-API client costs this listener nothing. */
    @Override
    public void connected(Connection connection) {
    }

    @Override
    public void event(Connection connection, String event, JsonNode data, Ack ack) {
        Handler handler = handlers.get(event);
        if (handler == null) {
            return;
        }
        telemetry.eventReceived(event);
        LegacyClient client = members.client(connection,
                c -> new LegacyClient(c, new SerialExecutor(workers, MAX_PENDING_EVENTS_PER_SOCKET)));
        try {
            eventLimiter.acquire(connection.id());
            client.events().submit(() -> run(client, handler, data, ack));
        } catch (GhostRoomsException e) {
            reportError(client, ack, e);
        } catch (RejectedExecutionException e) {
            reportError(client, ack, new GhostRoomsException(ErrorCode.SERVER_BUSY));
        }
    }

    private CompletionStage<?> run(LegacyClient client, Handler handler, JsonNode data, Ack ack) {
        CompletionStage<?> stage;
        try {
            stage = handler.handle(client, data, ack);
        } catch (Throwable t) {
            reportError(client, ack, Failures.translate(t));
            return DONE;
        }
        return stage.exceptionally(t -> {
            reportError(client, ack, Failures.translate(t));
            return null;
        });
    }

    private void reportError(LegacyClient client, Ack ack, GhostRoomsException error) {
        telemetry.error(error.code());
        client.connection().send(LegacyEvents.ERROR, new SocketError(error.getMessage(), error.code().name()));
        if (ack.requested()) {
            ack.send(new LegacyResults.Failed(error.getMessage(), error.code().name()));
        }
    }

    private static CompletionStage<?> reply(LegacyClient client, Ack ack, String event, Object payload) {
        client.connection().send(event, payload);
        if (ack.requested()) {
            ack.send(payload);
        }
        return DONE;
    }

    private CompletionStage<?> register(LegacyClient client, JsonNode data, Ack ack) {
        LegacyPayloads.Register r = LegacyPayloads.register(data);
        return reply(client, ack, LegacyEvents.REGISTERED,
                new LegacyResults.Registered(legacy.register(client, r.userId(), r.username())));
    }

    private CompletionStage<?> createRoom(LegacyClient client, JsonNode data, Ack ack) {
        LegacyPayloads.CreateRoom r = LegacyPayloads.createRoom(data);
        return reply(client, ack, LegacyEvents.ROOM_CREATED,
                new LegacyResults.OneRoom(legacy.createRoom(client, r.name(), r.userId())));
    }

    private CompletionStage<?> joinRoom(LegacyClient client, JsonNode data, Ack ack) {
        LegacyPayloads.JoinRoom r = LegacyPayloads.joinRoom(data);
        return reply(client, ack, LegacyEvents.JOINED_ROOM,
                new LegacyResults.OneRoom(legacy.joinRoom(client, r.roomId(), r.userId(), r.username())));
    }

    /** newMessage reaches the sender with the room; the ack, if any, gets the same message. */
    private CompletionStage<?> sendMessage(LegacyClient client, JsonNode data, Ack ack) {
        LegacyPayloads.SendMessage r = LegacyPayloads.sendMessage(data);
        legacy.send(client, r.roomId(), r.userId(), r.content()).whenComplete((message, failure) -> {
            if (failure != null) {
                reportError(client, ack, Failures.translate(failure));
            } else if (ack.requested()) {
                ack.send(message);
            }
        });
        // The next event may start now: the writer keeps this socket's messages in order, and a
        // leave waits for them to be stored.
        return DONE;
    }

    private CompletionStage<?> leaveRoom(LegacyClient client, JsonNode data, Ack ack) {
        legacy.leaveRoom(client, LegacyPayloads.leaveRoom(data));
        if (ack.requested()) {
            ack.send(LegacyResults.Done.OK);
        }
        return DONE;
    }

    @Override
    public void disconnected(Connection connection) {
        LegacyClient client = members.removeClient(connection.id());
        if (client == null) {
            return;
        }
        try {
            client.events().submit(() -> {
                legacy.disconnected(client);
                return DONE;
            });
        } catch (RejectedExecutionException e) {
            workers.execute(() -> legacy.disconnected(client));
        }
    }
}
