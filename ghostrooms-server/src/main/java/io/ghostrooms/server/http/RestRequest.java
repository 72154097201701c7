package io.ghostrooms.server.http;

import java.util.List;
import java.util.Map;

/** What a REST route needs of a request, detached from Netty's buffers. */
public record RestRequest(String method, List<String> segments, Map<String, List<String>> query, String authorization,
                          String contentType, byte[] body, String clientIp) {
    public String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
