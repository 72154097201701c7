package io.ghostrooms.protocol.socket;

public record SetUsernamePayload(String username) {
}
