package io.ghostrooms.server.legacy;

import static io.ghostrooms.server.common.JsonFields.object;
import static io.ghostrooms.server.common.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Text;

/**
 * The legacy events' payloads as they arrive (any JSON at all), field by field into strings or the
 * field's error code; the rules (formats, lengths) are the service's. Strings are read by
 * JsonFields, so unpaired surrogates and NUL are refused as on every other transport.
 */
final class LegacyPayloads {
    private LegacyPayloads() {
    }

    record Register(String userId, String username) {
    }

    record CreateRoom(String name, String userId) {
    }

    record JoinRoom(String roomId, String userId, String username) {
    }

    record SendMessage(String roomId, String userId, String content) {
    }

    static Register register(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        String username = text(o, "username", ErrorCode.INVALID_USERNAME);
        if (username == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME, "Username is required");
        }
        return new Register(userId(o), username);
    }

    static CreateRoom createRoom(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        return new CreateRoom(text(o, "name", ErrorCode.INVALID_ROOM), userId(o));
    }

    static JoinRoom joinRoom(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        return new JoinRoom(roomId(o), userId(o), text(o, "username", ErrorCode.INVALID_USERNAME));
    }

    static SendMessage sendMessage(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        String content = text(o, "content", ErrorCode.INVALID_MESSAGE);
        return new SendMessage(roomId(o), userId(o), content);
    }

    /** leaveRoom's payload is the room id itself, a plain string (as the old README sends it). */
    static String leaveRoom(JsonNode data) {
        if (data == null || !data.isTextual()) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD, "leaveRoom takes the room id as a string");
        }
        String roomId = data.textValue();
        if (!Text.isScalarText(roomId)) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD, "roomId must be valid Unicode text");
        }
        return roomId;
    }

    private static String userId(JsonNode o) {
        String userId = text(o, "userId", ErrorCode.INVALID_PAYLOAD);
        if (userId == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD, "userId is required");
        }
        return userId;
    }

    private static String roomId(JsonNode o) {
        String roomId = text(o, "roomId", ErrorCode.INVALID_PAYLOAD);
        if (roomId == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD, "roomId is required");
        }
        return roomId;
    }
}
