package io.ghostrooms.server.transport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;

/**
 * An event serialized once, for delivery to many connections (and, in a cluster, to other nodes as
 * it is): the payload's JSON is computed here, not per recipient.
 */
public record OutboundEvent(String name, String json) {
    /** Configured like netty-socketio's own mapper, so a pre-serialized payload reads the same. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    /**
     * Serialized through UTF-8 rather than to a String: Jackson's String writer copies an unpaired
     * surrogate as is, and such a string, written raw into a polling answer, made netty-socketio's
     * encoder throw for the whole poll ("Incomplete surrogate pair"), losing it and breaking that
     * member's delivery; its UTF-8 writer escapes it as "\\ud800" instead, valid JSON everywhere.
     */
    public static OutboundEvent of(String name, Object payload) {
        try {
            return new OutboundEvent(name, new String(JSON.writeValueAsBytes(payload), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserializable " + name + " payload", e);
        }
    }
}
