package io.ghostrooms.server.http;

import java.util.Map;

/**
 * A route's answer: a JSON body or raw bytes (files). The REST handler turns it into
 * Netty's response in one place.
 */
public record RestResponse(int status, Object json, byte[] bytes, String contentType, Map<String, String> headers) {
    public static RestResponse json(int status, Object body) {
        return new RestResponse(status, body, null, "application/json; charset=utf-8", Map.of());
    }

    public static RestResponse bytes(byte[] bytes, String contentType, Map<String, String> headers) {
        return new RestResponse(200, null, bytes, contentType, headers);
    }
}
