package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The framing stages as the server wires them into netty-socketio's pipeline (the e2e suite has
 * every case against the jar; these run with the unit tests, without node).
 */
class HttpFramingServerTest {
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSmugglingAttemptGetsOneRefusalAndTheConnectionEnds() throws Exception {
        String hidden = "GET /api/rooms/public HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = "0\r\n\r\n" + hidden;

        String wire = server.raw("POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);

        assertEquals(List.of("400"), statuses(wire), wire);
        assertTrue(wire.endsWith("{\"success\":false,\"error\":{\"message\":\"Malformed request\",\"code\":\"INVALID_REQUEST\"}}"), wire);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String wire = server.raw("POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/rooms/public HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(List.of("201", "200", "200"), statuses(wire), wire);
        assertTrue(wire.indexOf("\"token\"") < wire.indexOf("\"status\":\"ok\"") && wire.indexOf("\"status\":\"ok\"") < wire.lastIndexOf("\"data\":["), wire);
    }

    @Test
    void headIsGetWithoutBody() throws Exception {
        String wire = server.raw("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(List.of("200", "200"), statuses(wire), wire);
        String headHeaders = wire.substring(0, wire.indexOf("\r\n\r\n") + 4);
        assertTrue(headHeaders.toLowerCase().contains("content-length: "), "the GET body's length is announced: " + wire);
        assertTrue(wire.startsWith("HTTP/1.1 200 ", headHeaders.length()), "the GET's answer follows the HEAD's headers at once: " + wire);
    }

    @Test
    void anAbsoluteFormTargetIsRouted() throws Exception {
        String wire = server.raw("GET " + server.url("/health") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(List.of("200"), statuses(wire), wire);
        assertTrue(wire.contains("\"status\":\"ok\""), wire);
    }

    private static List<String> statuses(String wire) {
        List<String> found = new ArrayList<>();
        Matcher m = STATUS.matcher(wire);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
