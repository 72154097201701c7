package io.ghostrooms.server.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostrooms.protocol.ErrorCode;

/**
 * Reads fields of client JSON (REST bodies and Socket.IO payloads over websocket and polling alike),
 * which may be missing, of any type, or hostile: each reader gives the field's value or throws the
 * field's own error code. Text is where the contract's input rule for Unicode is applied, once for
 * every transport: a string holding an unpaired surrogate (a JSON "\\ud800" escape) or U+0000
 * is refused, never rewritten, because what the sender's ack shows must be what history and every
 * member on every transport receive (an unpaired surrogate became '?' on websockets, broke the
 * polling encoder, and read back differently from the database).
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** The object itself, or {@code code} when the payload is missing or not an object. */
    public static JsonNode object(JsonNode data, ErrorCode code) {
        if (data == null || !data.isObject()) {
            throw new GhostRoomsException(code, "Payload must be an object");
        }
        return data;
    }

    /** The field's text; null when absent or JSON null; {@code code} for another type or invalid text. */
    public static String text(JsonNode o, String field, ErrorCode code) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new GhostRoomsException(code, field + " must be a string");
        }
        String text = v.textValue();
        if (!Text.isScalarText(text)) {
            throw new GhostRoomsException(code, field + " must be valid Unicode text without NUL characters");
        }
        return text;
    }

    /** The field's number; null when absent or JSON null. */
    public static Double number(JsonNode o, String field, ErrorCode code) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new GhostRoomsException(code, field + " must be a number");
        }
        return v.doubleValue();
    }

    /** The field's boolean; null when absent or JSON null. */
    public static Boolean bool(JsonNode o, String field, ErrorCode code) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new GhostRoomsException(code, field + " must be true or false");
        }
        return v.booleanValue();
    }
}
