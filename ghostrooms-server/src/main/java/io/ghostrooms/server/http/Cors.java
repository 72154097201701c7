package io.ghostrooms.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** The one CORS policy for REST and Socket.IO: CORS_ORIGIN, a list or "*". */
public final class Cors {
    private final List<String> origins;
    private final boolean any;

    public Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
        this.any = origins.contains("*");
    }

    /** Requests without an Origin (curl, servers, native apps) are not cross-origin requests. */
    public boolean allows(String origin) {
        return origin == null || any || origins.contains(origin);
    }

    public void addHeaders(String origin, HttpHeaders headers) {
        if (origin != null && allows(origin)) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
    }

    public void addPreflightHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PATCH, DELETE, OPTIONS");
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization");
        headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
    }
}
