package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundEventTest {
    @Test
    void anUnpairedSurrogateIsWrittenAsAJsonEscape() throws Exception {
        OutboundEvent event = OutboundEvent.of("new_message", Map.of("content", "a\ud800b"));

        assertEquals("{\"content\":\"a\\ud800b\"}", event.json().toLowerCase());
        assertTrue(event.json().chars().allMatch(c -> c < 128), "nothing a UTF-8 encoder could choke on");
        assertEquals("a\ud800b", new ObjectMapper().readTree(event.json()).get("content").textValue());
    }

    @Test
    void validTextReadsBackExactly() throws Exception {
        String text = "\u00e9\u4e2d\ud83d\ude00 \ud835\udc00 e\u0301";
        OutboundEvent event = OutboundEvent.of("new_message", Map.of("content", text));

        assertEquals(text, new ObjectMapper().readTree(event.json()).get("content").textValue());
    }
}
