package io.ghostrooms.protocol.rest;

import static io.ghostrooms.protocol.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ghostrooms.protocol.socket.AttachmentDto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the exact JSON the REST DTOs produce with a plain ObjectMapper (field names and order). */
class RestJsonShapeTest {

    @Test
    void apiResponseWithDataOmitsMessage() {
        assertEquals("{\"success\":true,\"data\":{\"sessionToken\":\"s\",\"nickname\":\"n\",\"roomToken\":\"r\"}}",
                write(ApiResponse.of(new JoinedRoom("s", "n", "r"))));
    }

    @Test
    void apiResponseWithListDataWritesAnArray() {
        assertEquals("{\"success\":true,\"data\":[]}", write(ApiResponse.of(List.of())));
    }

    @Test
    void apiResponseMessageOmitsData() {
        assertEquals("{\"success\":true,\"message\":\"Room is valid\"}", write(ApiResponse.message("Room is valid")));
    }

    @Test
    void apiErrorWithoutRetryAfterOmitsIt() {
        assertEquals("{\"success\":false,\"error\":{\"message\":\"Room not found\",\"code\":\"ROOM_NOT_FOUND\"}}",
                write(ApiError.of("Room not found", "ROOM_NOT_FOUND", null)));
    }

    @Test
    void apiErrorWithRetryAfterPutsItInsideError() {
        assertEquals("{\"success\":false,\"error\":{\"message\":\"Too many\",\"code\":\"RATE_LIMIT_EXCEEDED\","
                        + "\"retryAfter\":42}}",
                write(ApiError.of("Too many", "RATE_LIMIT_EXCEEDED", 42L)));
    }

    @Test
    void createdRoomWritesTokenNameAndExpiresAt() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"name\":\"Lobby\",\"expiresAt\":\"2026-11-25T10:00:00.000Z\"}",
                write(new CreatedRoom("ghost-abcd1234", "Lobby", "2026-11-25T10:00:00.000Z")));
    }

    @Test
    void createdRoomOmitsNameWhenNull() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"expiresAt\":\"2026-11-25T10:00:00.000Z\"}",
                write(new CreatedRoom("ghost-abcd1234", null, "2026-11-25T10:00:00.000Z")));
    }

    @Test
    void roomInfoWritesIsPublicNotPublic() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"name\":\"Lobby\",\"isPublic\":true,"
                        + "\"expiresAt\":\"2026-11-25T10:00:00.000Z\",\"participantCount\":3,"
                        + "\"createdAt\":\"2026-11-24T10:00:00.000Z\"}",
                write(new RoomInfo("ghost-abcd1234", "Lobby", true, "2026-11-25T10:00:00.000Z", 3,
                        "2026-11-24T10:00:00.000Z")));
    }

    @Test
    void roomInfoWritesIsPublicFalseAndOmitsNullName() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"isPublic\":false,"
                        + "\"expiresAt\":\"2026-11-25T10:00:00.000Z\",\"participantCount\":0,"
                        + "\"createdAt\":\"2026-11-24T10:00:00.000Z\"}",
                write(new RoomInfo("ghost-abcd1234", null, false, "2026-11-25T10:00:00.000Z", 0,
                        "2026-11-24T10:00:00.000Z")));
    }

    @Test
    void publicRoomWritesContractFields() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"name\":\"Lobby\",\"participantCount\":2,"
                        + "\"expiresAt\":\"2026-11-25T10:00:00.000Z\",\"createdAt\":\"2026-11-24T10:00:00.000Z\"}",
                write(new PublicRoom("ghost-abcd1234", "Lobby", 2, "2026-11-25T10:00:00.000Z",
                        "2026-11-24T10:00:00.000Z")));
    }

    @Test
    void publicRoomOmitsNullName() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"participantCount\":0,"
                        + "\"expiresAt\":\"2026-11-25T10:00:00.000Z\",\"createdAt\":\"2026-11-24T10:00:00.000Z\"}",
                write(new PublicRoom("ghost-abcd1234", null, 0, "2026-11-25T10:00:00.000Z",
                        "2026-11-24T10:00:00.000Z")));
    }

    @Test
    void joinedRoomWritesSessionTokenNicknameAndRoomToken() {
        assertEquals("{\"sessionToken\":\"abc\",\"nickname\":\"Ann\",\"roomToken\":\"ghost-abcd1234\"}",
                write(new JoinedRoom("abc", "Ann", "ghost-abcd1234")));
    }

    @Test
    void uploadResponsePutsAttachmentAtTopLevel() {
        AttachmentDto attachment = new AttachmentDto("a1", "a.png", 1234, "image/png", "http://x/api/files/f.png");
        assertEquals("{\"success\":true,\"attachment\":{\"id\":\"a1\",\"fileName\":\"a.png\",\"fileSize\":1234,"
                        + "\"mimeType\":\"image/png\",\"url\":\"http://x/api/files/f.png\"},"
                        + "\"messageType\":\"IMAGE\",\"message\":\"File uploaded successfully\"}",
                write(new UploadResponse(true, attachment, "IMAGE", "File uploaded successfully")));
    }

    @Test
    void messageAttachmentsHasNoDataEnvelope() {
        assertEquals("{\"success\":true,\"attachments\":[]}", write(new MessageAttachments(true, List.of())));
    }

    @Test
    void createRoomRequestReadsAllOptionalFields() {
        CreateRoomRequest request = io.ghostrooms.protocol.Json.read(
                "{\"ttlHours\":0.25,\"name\":\"Lobby\",\"isPublic\":true,\"isDM\":false}", CreateRoomRequest.class);
        assertEquals(new CreateRoomRequest(0.25, "Lobby", true, false), request);
    }

    @Test
    void createRoomRequestLeavesMissingFieldsNull() {
        assertEquals(new CreateRoomRequest(null, null, null, null),
                io.ghostrooms.protocol.Json.read("{}", CreateRoomRequest.class));
    }

    // ---- room controls

    @Test
    void createdRoomWritesTheOwnerTokenLast() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"expiresAt\":\"2026-11-25T10:00:00.000Z\","
                        + "\"ownerToken\":\"AbCdEfGhIjKlMnOpQrStUvWxYz012345\"}",
                write(new CreatedRoom("ghost-abcd1234", null, "2026-11-25T10:00:00.000Z",
                        "AbCdEfGhIjKlMnOpQrStUvWxYz012345")));
    }

    @Test
    void roomInfoWritesItsControlFlagsOnlyWhenTrue() {
        assertEquals("{\"token\":\"ghost-abcd1234\",\"isPublic\":false,"
                        + "\"expiresAt\":\"2026-11-25T10:00:00.000Z\",\"participantCount\":1,"
                        + "\"createdAt\":\"2026-11-24T10:00:00.000Z\",\"hasPassword\":true,\"locked\":true,"
                        + "\"vanishWhenEmpty\":true}",
                write(new RoomInfo("ghost-abcd1234", null, false, "2026-11-25T10:00:00.000Z", 1,
                        "2026-11-24T10:00:00.000Z", RoomInfo.flag(true), RoomInfo.flag(true), RoomInfo.flag(true))));
        assertEquals(write(new RoomInfo("ghost-abcd1234", null, false, "2026-11-25T10:00:00.000Z", 1,
                        "2026-11-24T10:00:00.000Z")),
                write(new RoomInfo("ghost-abcd1234", null, false, "2026-11-25T10:00:00.000Z", 1,
                        "2026-11-24T10:00:00.000Z", RoomInfo.flag(false), RoomInfo.flag(false), RoomInfo.flag(false))));
    }

    @Test
    void createRoomRequestReadsTheControlFields() {
        assertEquals(new CreateRoomRequest(null, null, null, null, "s3cret", true),
                io.ghostrooms.protocol.Json.read("{\"password\":\"s3cret\",\"vanishWhenEmpty\":true}",
                        CreateRoomRequest.class));
    }

    @Test
    void joinRoomRequestReadsNicknameAndPassword() {
        assertEquals(new JoinRoomRequest("Ann", "s3cret"),
                io.ghostrooms.protocol.Json.read("{\"nickname\":\"Ann\",\"password\":\"s3cret\"}", JoinRoomRequest.class));
        assertEquals(new JoinRoomRequest("Ann"), io.ghostrooms.protocol.Json.read("{\"nickname\":\"Ann\"}", JoinRoomRequest.class));
    }

    @Test
    void updateRoomRequestReadsTtlHoursAndLocked() {
        assertEquals(new UpdateRoomRequest(2.5, true),
                io.ghostrooms.protocol.Json.read("{\"ttlHours\":2.5,\"locked\":true}", UpdateRoomRequest.class));
        assertEquals(new UpdateRoomRequest(null, null), io.ghostrooms.protocol.Json.read("{}", UpdateRoomRequest.class));
    }

    @Test
    void kickRequestReadsNickname() {
        assertEquals(new KickRequest("Bob"), io.ghostrooms.protocol.Json.read("{\"nickname\":\"Bob\"}", KickRequest.class));
    }
}
