package io.ghostrooms.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.TestServer;
import io.ghostrooms.server.config.Config;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/openapi.json serves the resource as it is in the jar, like every GET route (HEAD, CORS),
 * and the document agrees with ErrorCode: the e2e suite (e2e/test/openapi.test.mjs) validates it
 * as OpenAPI 3.1 and checks every REST answer against it; what only Java knows is checked here.
 */
class OpenApiDocumentTest {
    private static final String ALLOWED = "http://chat.example";
    static TestServer server;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("CORS_ORIGIN", ALLOWED));
        doc = new ObjectMapper().readTree(OpenApiDocument.load());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void isServedAsTheResourceInTheJar() throws Exception {
        HttpResponse<byte[]> res = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/openapi.json"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, res.statusCode());
        assertEquals("application/json; charset=utf-8", res.headers().firstValue("content-type").orElse(null));
        assertEquals("nosniff", res.headers().firstValue("x-content-type-options").orElse(null));
        try (var in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertArrayEquals(in.readAllBytes(), res.body());
        }
    }

    @Test
    void answersHeadCorsAndWrongMethodsLikeTheOtherGetRoutes() throws Exception {
        String head = server.raw("HEAD /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertTrue(head.endsWith("\r\n\r\n"), "no body after the headers: " + head);
        assertTrue(head.toLowerCase().contains("content-length: " + OpenApiDocument.load().length), head);

        HttpResponse<String> allowed = server.get("/api/openapi.json", "Origin", ALLOWED);
        assertEquals(200, allowed.statusCode());
        assertEquals(ALLOWED, allowed.headers().firstValue("access-control-allow-origin").orElse(null));
        HttpResponse<String> foreign = server.get("/api/openapi.json", "Origin", "http://evil.example");
        assertEquals(403, foreign.statusCode());
        assertEquals("{\"success\":false,\"error\":{\"message\":\"Origin not allowed\",\"code\":\"FORBIDDEN\"}}", foreign.body());

        HttpResponse<String> post = server.post("/api/openapi.json", "{}");
        assertEquals(405, post.statusCode());
        assertTrue(post.body().contains("\"METHOD_NOT_ALLOWED\""), post.body());
    }

    @Test
    void versionIsTheServersVersion() {
        assertEquals(Config.VERSION, doc.path("info").path("version").asText());
    }

    @Test
    void errorCodeSchemaListsExactlyTheEnum() {
        List<String> listed = new ArrayList<>();
        doc.at("/components/schemas/ErrorCode/enum").forEach(n -> listed.add(n.asText()));
        assertEquals(new TreeSet<>(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()), new TreeSet<>(listed));
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "no code listed twice");
    }

    /** Every code an answer of status S lists is a real ErrorCode whose HTTP status is S. */
    @Test
    void everyDocumentedCodeHasTheStatusItIsDocumentedUnder() {
        List<String> wrong = new ArrayList<>();
        int[] checked = {0};
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode responses = op.getValue().path("responses");
            responses.fields().forEachRemaining(r -> checkCodes(path.getKey() + " " + op.getKey(), r.getKey(), resolve(r.getValue()), wrong, checked));
        }));
        doc.path("x-unrouted-responses").fields().forEachRemaining(r ->
                checkCodes("x-unrouted-responses", r.getKey(), resolve(r.getValue()), wrong, checked));
        assertEquals(List.of(), wrong);
        assertTrue(checked[0] > 50, "codes were found: " + checked[0]);
    }

    @Test
    void everyPathHasAnOperation() {
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String path = it.next();
            JsonNode item = doc.path("paths").path(path);
            assertTrue(item.has("get") || item.has("post"), path);
            assertFalse(path.endsWith("/"), path);
        }
    }

    private static void checkCodes(String where, String status, JsonNode response, List<String> wrong, int[] checked) {
        for (String code : codesIn(response.path("content"))) {
            checked[0]++;
            ErrorCode c;
            try {
                c = ErrorCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                wrong.add(where + " " + status + ": no such code " + code);
                continue;
            }
            if (!String.valueOf(c.httpStatus()).equals(status)) {
                wrong.add(where + " " + status + ": " + code + " is " + c.httpStatus());
            }
        }
    }

    /** The codes a response's schemas pin down: error.code's const or enum, in every branch. */
    private static List<String> codesIn(JsonNode node) {
        List<String> codes = new ArrayList<>();
        if (node.isObject()) {
            if (node.has("$ref") && node.path("$ref").asText().startsWith("#/components/schemas/")) {
                JsonNode target = doc.at(node.path("$ref").asText().substring(1));
                if (!node.path("$ref").asText().endsWith("/ErrorCode") && !node.path("$ref").asText().endsWith("/Error")) {
                    codes.addAll(codesIn(target));
                }
            }
            JsonNode code = node.at("/properties/error/properties/code");
            if (code.has("const")) {
                codes.add(code.path("const").asText());
            }
            code.path("enum").forEach(n -> codes.add(n.asText()));
            node.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("properties")) {
                    codes.addAll(codesIn(f.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> codes.addAll(codesIn(n)));
        }
        return codes;
    }

    private static JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.isEmpty() ? response : doc.at(ref.substring(1));
    }

    @Test
    void bytesAreUtf8Json() throws Exception {
        String text = new String(OpenApiDocument.load(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{"));
        assertEquals("3.1.0", doc.path("openapi").asText());
    }
}
