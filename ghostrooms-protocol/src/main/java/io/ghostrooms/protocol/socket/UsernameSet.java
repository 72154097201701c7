package io.ghostrooms.protocol.socket;

public record UsernameSet(String username) {
}
