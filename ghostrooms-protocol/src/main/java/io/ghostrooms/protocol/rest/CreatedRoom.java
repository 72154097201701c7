package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedRoom(String token, String name, String expiresAt) {
}
