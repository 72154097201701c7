package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** REST error envelope: {"success": false, "error": {"message", "code", "retryAfter"?}}. */
public record ApiError(boolean success, Body error) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String message, String code, Long retryAfter) {
    }

    public static ApiError of(String message, String code, Long retryAfter) {
        return new ApiError(false, new Body(message, code, retryAfter));
    }
}
