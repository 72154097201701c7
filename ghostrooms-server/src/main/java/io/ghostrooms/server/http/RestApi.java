package io.ghostrooms.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ghostrooms.persistence.Database;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.rest.ApiResponse;
import io.ghostrooms.protocol.rest.CreateRoomRequest;
import io.ghostrooms.protocol.rest.Health;
import io.ghostrooms.protocol.rest.JoinRoomRequest;
import io.ghostrooms.protocol.rest.UpdateRoomRequest;
import io.ghostrooms.protocol.rest.MessageAttachments;
import io.ghostrooms.protocol.rest.Readiness;
import io.ghostrooms.protocol.legacy.LegacyResults;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.JsonFields;
import io.ghostrooms.server.common.RateLimiter;
import io.ghostrooms.server.common.ReadinessChecks;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.files.StoredFile;
import io.ghostrooms.server.files.UploadService;
import io.ghostrooms.server.legacy.LegacyService;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.metrics.Metrics;
import io.ghostrooms.server.rooms.PublicRooms;
import io.ghostrooms.server.rooms.RoomControls;
import io.ghostrooms.server.rooms.RoomService;
import io.ghostrooms.server.sessions.SessionContext;
import io.ghostrooms.server.sessions.SessionService;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** REST routes: translate requests to service calls and results to the contract's envelopes. */
public final class RestApi {
    /** One JSON value per body and then only whitespace: trailing content is refused, not ignored. */
    private final ObjectReader json;
    private final RoomService rooms;
    private final RoomControls controls;
    private final PublicRooms publicRooms;
    private final SessionService sessions;
    private final MessageService messages;
    private final FileService files;
    private final UploadService uploads;
    private final Database database;
    private final Clock clock;
    private final Instant startedAt;
    private final RateLimiter lookupLimiter;
    /** Null when /metrics is on its own port (METRICS_PORT). */
    private final Metrics metrics;
    private final boolean metricsPublic;
    /** GET /api/openapi.json: read once here, at startup, and served from memory. */
    private final byte[] openApi = OpenApiDocument.load();
    private final ReadinessChecks readiness;
    /** The legacy ChatBackEnd routes: GET /api/rooms and GET /api/rooms/:roomId for a UUID. */
    private final LegacyService legacy;

    public RestApi(ObjectMapper json, RoomService rooms, RoomControls controls, PublicRooms publicRooms,
                   SessionService sessions, MessageService messages, FileService files, UploadService uploads,
                   Database database, RateLimiter lookupLimiter, Metrics metrics, boolean metricsPublic, Clock clock,
                   ReadinessChecks readiness, LegacyService legacy) {
        this.legacy = legacy;
        this.controls = controls;
        this.metrics = metrics;
        this.metricsPublic = metricsPublic;
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.rooms = rooms;
        this.publicRooms = publicRooms;
        this.sessions = sessions;
        this.messages = messages;
        this.files = files;
        this.uploads = uploads;
        this.database = database;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.lookupLimiter = lookupLimiter;
        this.readiness = readiness;
    }

    public RestResponse handle(RestRequest r) throws IOException {
        String s0 = r.segment(0);
        int n = r.segments().size();
        if ("health".equals(s0) && n == 1 || "api".equals(s0) && n == 2 && "health".equals(r.segment(1))) {
            return only(r, "GET", () -> health());
        }
        if ("health".equals(s0) && n == 2 && "ready".equals(r.segment(1))) {
            return only(r, "GET", () -> ready());
        }
        if ("metrics".equals(s0) && n == 1 && metrics != null) {
            return only(r, "GET", () -> metrics(r));
        }
        if (!"api".equals(s0) || n < 2) {
            throw new GhostRoomsException(ErrorCode.NOT_FOUND);
        }
        String s1 = r.segment(1);
        if ("openapi.json".equals(s1) && n == 2) {
            return only(r, "GET", () -> RestResponse.bytes(openApi, "application/json; charset=utf-8", Map.of()));
        }
        if ("rooms".equals(s1)) {
            if (n == 2 && ("GET".equals(r.method()) || "HEAD".equals(r.method()))) {
                // The legacy list ({success, rooms}, legacy rooms only): token rooms are never listed here.
                return RestResponse.json(200, new LegacyResults.Rooms(legacy.list()));
            }
            if (n == 2) {
                return only(r, "POST", () -> RestResponse.json(201, ApiResponse.of(rooms.create(createRoom(r.body()), r.clientIp()))));
            }
            if (n == 3 && LegacyService.isRoomId(r.segment(2))
                    && ("GET".equals(r.method()) || "HEAD".equals(r.method()))) {
                // A UUID is a legacy room's id (a ghost- token keeps the route below), answered in the
                // original's shapes: {success, room}, or 404 {success: false, error: "Room not found"}.
                return legacy.room(r.segment(2), r.clientIp())
                        .map(room -> RestResponse.json(200, new LegacyResults.OneRoom(room)))
                        .orElseGet(() -> RestResponse.json(404, LegacyResults.NotFound.ROOM));
            }
            if (n == 3 && "public".equals(r.segment(2))) {
                return only(r, "GET", () -> ok(publicRooms.list()));
            }
            String token = r.segment(2);
            if (n == 3 && "DELETE".equals(r.method())) {
                controls.close(controls.authorize(token, bearer(r), r.clientIp()));
                return RestResponse.json(200, ApiResponse.message("Room closed"));
            }
            if (n == 3 && "PATCH".equals(r.method())) {
                RoomControls.Owned owned = controls.authorize(token, bearer(r), r.clientIp());
                return ok(controls.update(owned, updateRoom(r.body())));
            }
            if (n == 3) {
                return only(r, "GET", () -> {
                    lookupLimiter.acquire(r.clientIp());
                    return ok(rooms.info(token));
                });
            }
            if (n == 4 && "kick".equals(r.segment(3))) {
                return only(r, "POST", () -> {
                    RoomControls.Owned owned = controls.authorize(token, bearer(r), r.clientIp());
                    controls.kick(owned, kickNickname(r.body()));
                    return RestResponse.json(200, ApiResponse.message("Member removed"));
                });
            }
            if (n == 4 && "validate".equals(r.segment(3))) {
                return only(r, "GET", () -> {
                    lookupLimiter.acquire(r.clientIp());
                    rooms.validate(token);
                    return RestResponse.json(200, ApiResponse.message("Room is valid"));
                });
            }
            if (n == 4 && "join".equals(r.segment(3))) {
                return only(r, "POST", () -> {
                    // Every attempt spends the lookup budget, so every wrong password does.
                    lookupLimiter.acquire(r.clientIp());
                    JoinRoomRequest join = joinRoom(r.body());
                    return RestResponse.json(201, ApiResponse.of(rooms.join(token, join.nickname(), join.password())));
                });
            }
        }
        if ("messages".equals(s1) && n == 3) {
            return only(r, "GET", () -> history(r, r.segment(2)));
        }
        if ("files".equals(s1)) {
            if (n == 3 && "upload".equals(r.segment(2))) {
                // Uploads are streamed by UploadHandler before aggregation; only a wrong method lands here.
                throw new GhostRoomsException(ErrorCode.METHOD_NOT_ALLOWED);
            }
            if (n == 4 && "message".equals(r.segment(2))) {
                return only(r, "GET", () -> RestResponse.json(200, new MessageAttachments(true, files.attachmentsOf(r.segment(3)))));
            }
            if (n == 3) {
                return only(r, "GET", () -> file(uploads.serve(r.segment(2))));
            }
        }
        throw new GhostRoomsException(ErrorCode.NOT_FOUND);
    }

    @FunctionalInterface
    private interface Route {
        RestResponse run() throws IOException;
    }

    private static RestResponse only(RestRequest r, String method, Route route) throws IOException {
        if (!method.equals(r.method()) && !("GET".equals(method) && "HEAD".equals(r.method()))) {
            throw new GhostRoomsException(ErrorCode.METHOD_NOT_ALLOWED);
        }
        return route.run();
    }

    /** Prometheus text, to loopback only unless METRICS_PUBLIC (then a scrape is nobody's secret). */
    private RestResponse metrics(RestRequest r) {
        if (!Metrics.mayScrape(r.clientIp(), metricsPublic)) {
            throw new GhostRoomsException(ErrorCode.FORBIDDEN, "Metrics are served to loopback only");
        }
        return RestResponse.bytes(metrics.scrape().getBytes(StandardCharsets.UTF_8), Metrics.CONTENT_TYPE,
                Map.of("Cache-Control", "no-store"));
    }

    /** Images are shown inline, everything else downloaded; the name is the cleaned display name. */
    private static RestResponse file(StoredFile file) {
        String disposition = (file.inline() ? "inline" : "attachment")
                + "; filename*=UTF-8''" + URLEncoder.encode(file.displayName(), StandardCharsets.UTF_8).replace("+", "%20");
        return RestResponse.bytes(file.bytes(), file.contentType(), Map.of("Content-Disposition", disposition,
                "Cache-Control", "private, max-age=3600"));
    }

    private static RestResponse ok(Object data) {
        return RestResponse.json(200, ApiResponse.of(data));
    }

    private RestResponse health() {
        boolean up = database.isReachable();
        double uptime = Duration.between(startedAt, clock.instant()).toMillis() / 1000.0;
        Health body = new Health(up ? "ok" : "degraded", Timestamps.format(clock.instant()), uptime,
                "GhostRooms Backend", io.ghostrooms.server.config.Config.VERSION);
        return RestResponse.json(up ? 200 : 503, body);
    }

    /** Readiness, not liveness: 503 while a dependency is down, so a balancer stops routing here. */
    private RestResponse ready() {
        Readiness body = readiness.run();
        return RestResponse.json(body.ready() ? 200 : 503, body);
    }

    /** The token of an "Authorization: Bearer" header, or null. */
    private static String bearer(RestRequest r) {
        String auth = r.authorization();
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    private RestResponse history(RestRequest r, String roomToken) {
        String token = bearer(r);
        if (token == null) {
            throw new GhostRoomsException(ErrorCode.UNAUTHORIZED);
        }
        SessionContext session = sessions.authenticate(token, ErrorCode.UNAUTHORIZED);
        if (!session.roomToken().equals(roomToken)) {
            throw new GhostRoomsException(ErrorCode.FORBIDDEN, "Session does not belong to this room");
        }
        int limit = 50;
        String limitParam = r.queryParam("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                throw new GhostRoomsException(ErrorCode.INVALID_REQUEST, "limit must be a whole number between 1 and 100");
            }
        }
        Instant before = null;
        String beforeParam = r.queryParam("before");
        if (beforeParam != null) {
            try {
                before = Timestamps.parse(beforeParam.trim());
            } catch (DateTimeParseException e) {
                throw new GhostRoomsException(ErrorCode.INVALID_REQUEST, "before must be an ISO-8601 timestamp");
            }
        }
        return ok(messages.history(session, limit, before));
    }

    private JsonNode body(byte[] body, ErrorCode code) {
        if (body == null || body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                return json.createObjectNode();
            }
            if (!node.isObject()) {
                throw new GhostRoomsException(code, "Request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new GhostRoomsException(code, "Request body is not valid JSON");
        }
    }

    private CreateRoomRequest createRoom(byte[] raw) {
        JsonNode b = body(raw, ErrorCode.INVALID_ROOM);
        return new CreateRoomRequest(JsonFields.number(b, "ttlHours", ErrorCode.INVALID_ROOM),
                JsonFields.text(b, "name", ErrorCode.INVALID_ROOM), JsonFields.bool(b, "isPublic", ErrorCode.INVALID_ROOM),
                JsonFields.bool(b, "isDM", ErrorCode.INVALID_ROOM), JsonFields.text(b, "password", ErrorCode.INVALID_ROOM),
                JsonFields.bool(b, "vanishWhenEmpty", ErrorCode.INVALID_ROOM));
    }

    /** A password that is not a string (or not valid Unicode text) is INVALID_REQUEST, whatever the room. */
    private JoinRoomRequest joinRoom(byte[] raw) {
        JsonNode b = body(raw, ErrorCode.INVALID_NICKNAME);
        return new JoinRoomRequest(JsonFields.text(b, "nickname", ErrorCode.INVALID_NICKNAME),
                JsonFields.text(b, "password", ErrorCode.INVALID_REQUEST));
    }

    private UpdateRoomRequest updateRoom(byte[] raw) {
        JsonNode b = body(raw, ErrorCode.INVALID_ROOM);
        return new UpdateRoomRequest(JsonFields.number(b, "ttlHours", ErrorCode.INVALID_ROOM),
                JsonFields.bool(b, "locked", ErrorCode.INVALID_ROOM));
    }

    private String kickNickname(byte[] raw) {
        JsonNode b = body(raw, ErrorCode.INVALID_NICKNAME);
        return JsonFields.text(b, "nickname", ErrorCode.INVALID_NICKNAME);
    }
}
