package io.ghostrooms.server.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.RawValue;
import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.MessageDeleted;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.protocol.socket.SocketError;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.messages.RoomBroadcaster;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Sends events; every send is non-blocking and safe from any thread. */
public final class SocketNotifier implements RoomBroadcaster {
    /** Configured like netty-socketio's own mapper, so a pre-serialized payload reads the same. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private final SocketIOServer server;
    private final WebSocketFanout fanout;

    public SocketNotifier(SocketIOServer server, WebSocketChannels websockets, int maxFrameBytes) {
        this.server = server;
        this.fanout = new WebSocketFanout(websockets, maxFrameBytes, ByteBufAllocator.DEFAULT);
    }

    public void toClient(SocketIOClient client, String event, Object payload) {
        client.sendEvent(event, payload);
    }

    public void toRoom(String roomToken, String event, Object payload) {
        broadcast(server.getRoomOperations(roomToken).getClients(), null, event, payload);
    }

    public void toRoomExcept(String roomToken, SocketIOClient except, String event, Object payload) {
        broadcast(server.getRoomOperations(roomToken).getClients(), except.getSessionId(), event, payload);
    }

    public void toAll(String event, Object payload) {
        broadcast(server.getAllClients(), null, event, payload);
    }

    /**
     * The payload is serialized once per broadcast: into one websocket frame for every member on a
     * websocket, and as raw JSON for netty-socketio to copy into the packets of the others.
     */
    private void broadcast(Iterable<SocketIOClient> clients, UUID except, String event, Object payload) {
        String json;
        String frame;
        try {
            json = JSON.writeValueAsString(payload);
            frame = "42[" + JSON.writeValueAsString(event) + "," + json + "]";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserializable " + event + " payload", e);
        }
        RawValue raw = new RawValue(json);
        fanout.send(clients, except, frame.getBytes(StandardCharsets.UTF_8), client -> client.sendEvent(event, raw));
    }

    public void error(SocketIOClient client, GhostRoomsException error) {
        client.sendEvent(Events.ERROR, toWire(error));
    }

    public static SocketError toWire(GhostRoomsException error) {
        return new SocketError(error.getMessage(), error.code().name());
    }

    @Override
    public void newMessage(String roomToken, MessageDto message) {
        toRoom(roomToken, Events.NEW_MESSAGE, message);
    }

    @Override
    public void messageDeleted(String roomToken, String messageId) {
        toRoom(roomToken, Events.MESSAGE_DELETED, new MessageDeleted(messageId));
    }
}
