package io.ghostrooms.server.transport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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

    public static OutboundEvent of(String name, Object payload) {
        try {
            return new OutboundEvent(name, JSON.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserializable " + name + " payload", e);
        }
    }
}
