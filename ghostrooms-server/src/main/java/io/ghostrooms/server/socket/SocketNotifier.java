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

/** Sends events; every send is non-blocking and safe from any thread. */
public final class SocketNotifier implements RoomBroadcaster {
    /** Configured like netty-socketio's own mapper, so a pre-serialized payload reads the same. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private final SocketIOServer server;

    public SocketNotifier(SocketIOServer server) {
        this.server = server;
    }

    public void toClient(SocketIOClient client, String event, Object payload) {
        client.sendEvent(event, payload);
    }

    public void toRoom(String roomToken, String event, Object payload) {
        server.getRoomOperations(roomToken).sendEvent(event, once(payload));
    }

    public void toRoomExcept(String roomToken, SocketIOClient except, String event, Object payload) {
        server.getRoomOperations(roomToken).sendEvent(event, except, once(payload));
    }

    public void toAll(String event, Object payload) {
        server.getBroadcastOperations().sendEvent(event, once(payload));
    }

    /**
     * netty-socketio encodes a broadcast packet separately for every recipient's channel; handing
     * it JSON serialized once turns that per-recipient work into a copy of the text.
     */
    private static Object once(Object payload) {
        try {
            return new RawValue(JSON.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            return payload;
        }
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
