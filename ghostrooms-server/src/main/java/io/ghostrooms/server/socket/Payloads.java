package io.ghostrooms.server.socket;

import static io.ghostrooms.server.common.JsonFields.bool;
import static io.ghostrooms.server.common.JsonFields.object;
import static io.ghostrooms.server.common.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.socket.AttachmentDto;
import io.ghostrooms.protocol.socket.JoinRoomPayload;
import io.ghostrooms.protocol.socket.SendMessagePayload;
import io.ghostrooms.protocol.socket.TypingPayload;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.files.Attachments;
import java.util.ArrayList;
import java.util.List;

/**
 * Client payloads arrive as any JSON at all: these turn them into the contract's records or the
 * contract's error code, field by field. Rules (lengths, formats) stay in the services.
 */
final class Payloads {
    private Payloads() {
    }

    static JoinRoomPayload joinRoom(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        return new JoinRoomPayload(text(o, "roomToken", ErrorCode.ROOM_NOT_FOUND),
                text(o, "sessionToken", ErrorCode.INVALID_SESSION));
    }

    static SendMessagePayload sendMessage(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        String type = text(o, "type", ErrorCode.INVALID_MESSAGE_TYPE);
        String content = text(o, "content", ErrorCode.INVALID_MESSAGE);
        String clientId = text(o, "clientId", ErrorCode.INVALID_MESSAGE);
        JsonNode list = o.get("attachments");
        List<AttachmentDto> attachments = null;
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new GhostRoomsException(ErrorCode.MISSING_ATTACHMENT, "attachments must be a list");
            }
            if (list.size() > Attachments.MAX_PER_MESSAGE) {
                throw new GhostRoomsException(ErrorCode.INVALID_ATTACHMENT,
                        "At most " + Attachments.MAX_PER_MESSAGE + " attachments");
            }
            attachments = new ArrayList<>(list.size());
            for (JsonNode a : list) {
                JsonNode item = object(a, ErrorCode.INVALID_ATTACHMENT);
                JsonNode size = item.get("fileSize");
                long fileSize = size != null && size.isNumber() ? size.asLong() : 0;
                attachments.add(new AttachmentDto(text(item, "id", ErrorCode.INVALID_ATTACHMENT),
                        text(item, "fileName", ErrorCode.INVALID_ATTACHMENT), fileSize,
                        text(item, "mimeType", ErrorCode.INVALID_ATTACHMENT),
                        text(item, "url", ErrorCode.INVALID_ATTACHMENT)));
            }
        }
        return new SendMessagePayload(type, content, attachments, clientId);
    }

    static String messageId(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        JsonNode id = o.get("messageId");
        if (id != null && id.isNumber()) {
            return id.asText();
        }
        return text(o, "messageId", ErrorCode.MESSAGE_NOT_FOUND);
    }

    /** typing {isTyping}: a boolean, nothing else (INVALID_PAYLOAD, also when it is missing). */
    static TypingPayload typing(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_PAYLOAD);
        Boolean isTyping = bool(o, "isTyping", ErrorCode.INVALID_PAYLOAD);
        if (isTyping == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_PAYLOAD, "isTyping must be true or false");
        }
        return new TypingPayload(isTyping);
    }

    static String username(JsonNode data) {
        JsonNode o = object(data, ErrorCode.INVALID_USERNAME);
        String name = text(o, "username", ErrorCode.INVALID_USERNAME);
        if (name == null) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME, "Username is required");
        }
        return name;
    }
}
