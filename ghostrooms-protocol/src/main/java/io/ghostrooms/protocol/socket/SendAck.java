package io.ghostrooms.protocol.socket;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Ack of send_message (ours): {ok: true, message} or {ok: false, error}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendAck(boolean ok, MessageDto message, SocketError error) {
    public static SendAck ok(MessageDto message) {
        return new SendAck(true, message, null);
    }

    public static SendAck failed(SocketError error) {
        return new SendAck(false, null, error);
    }
}
