package io.ghostrooms.protocol.socket;

import com.fasterxml.jackson.annotation.JsonProperty;

/** typing (client to server). */
public record TypingPayload(@JsonProperty("isTyping") boolean isTyping) {
}
