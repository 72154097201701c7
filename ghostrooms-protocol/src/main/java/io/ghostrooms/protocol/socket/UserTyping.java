package io.ghostrooms.protocol.socket;

import com.fasterxml.jackson.annotation.JsonProperty;

/** user_typing: to the other members of the room; never stored, never replayed. */
public record UserTyping(String nickname, @JsonProperty("isTyping") boolean isTyping) {
}
