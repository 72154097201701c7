package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomInfo(String token, String name, @JsonProperty("isPublic") boolean isPublic, String expiresAt,
                       int participantCount, String createdAt) {
}
