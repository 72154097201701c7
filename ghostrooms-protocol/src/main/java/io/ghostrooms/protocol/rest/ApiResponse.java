package io.ghostrooms.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** REST success envelope: {"success": true, "data": ...} or {"success": true, "message": ...}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse<T>(boolean success, T data, String message) {
    public static <T> ApiResponse<T> of(T data) {
        return new ApiResponse<>(true, data, null);
    }

    public static ApiResponse<Void> message(String message) {
        return new ApiResponse<>(true, null, message);
    }
}
