package io.ghostrooms.protocol.socket;

import static io.ghostrooms.protocol.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ghostrooms.protocol.Json;
import io.ghostrooms.protocol.rest.PublicRoom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the exact JSON of the Socket.IO payload records with a plain ObjectMapper. */
class SocketJsonShapeTest {

    private static final String AT = "2026-11-25T10:00:00.000Z";

    private static MessageDto text(String content) {
        return new MessageDto("m1", "TEXT", content, "Ann", AT, List.of());
    }

    @Test
    void messageDtoWritesContractFieldsWithEmptyAttachments() {
        assertEquals("{\"id\":\"m1\",\"type\":\"TEXT\",\"content\":\"hi\",\"nickname\":\"Ann\","
                + "\"createdAt\":\"" + AT + "\",\"attachments\":[]}", write(text("hi")));
    }

    @Test
    void messageDtoKeepsNullContentAsNull() {
        assertEquals("{\"id\":\"m1\",\"type\":\"TEXT\",\"content\":null,\"nickname\":\"Ann\","
                + "\"createdAt\":\"" + AT + "\",\"attachments\":[]}", write(text(null)));
    }

    @Test
    void messageDtoWritesAttachmentObjects() {
        MessageDto image = new MessageDto("m2", "IMAGE", null, "Ann", AT,
                List.of(new AttachmentDto("a1", "a.png", 1234, "image/png", "http://x/api/files/f.png")));
        assertEquals("{\"id\":\"m2\",\"type\":\"IMAGE\",\"content\":null,\"nickname\":\"Ann\","
                + "\"createdAt\":\"" + AT + "\",\"attachments\":[{\"id\":\"a1\",\"fileName\":\"a.png\","
                + "\"fileSize\":1234,\"mimeType\":\"image/png\",\"url\":\"http://x/api/files/f.png\"}]}", write(image));
    }

    @Test
    void sendAckOkCarriesMessageAndOmitsError() {
        assertEquals("{\"ok\":true,\"message\":" + write(text("hi")) + "}", write(SendAck.ok(text("hi"))));
    }

    @Test
    void sendAckFailedCarriesErrorAndOmitsMessage() {
        assertEquals("{\"ok\":false,\"error\":{\"message\":\"Not in a room\",\"code\":\"NOT_IN_ROOM\"}}",
                write(SendAck.failed(new SocketError("Not in a room", "NOT_IN_ROOM"))));
    }

    @Test
    void socketErrorWritesMessageAndCode() {
        assertEquals("{\"message\":\"Room has expired\",\"code\":\"ROOM_EXPIRED\"}",
                write(new SocketError("Room has expired", "ROOM_EXPIRED")));
    }

    @Test
    void roomJoinedWritesRoomTokenCountParticipantsAndMessages() {
        assertEquals("{\"roomToken\":\"ghost-abcd1234\",\"participantCount\":1,\"participants\":[\"Ann\"],"
                        + "\"messages\":[" + write(text("hi")) + "]}",
                write(new RoomJoined("ghost-abcd1234", 1, List.of("Ann"), List.of(text("hi")))));
    }

    @Test
    void participantChangeWritesNicknameCountAndParticipants() {
        assertEquals("{\"nickname\":\"Bob\",\"participantCount\":2,\"participants\":[\"Ann\",\"Bob\"]}",
                write(new ParticipantChange("Bob", 2, List.of("Ann", "Bob"))));
    }

    @Test
    void publicRoomsUpdateWrapsRoomsList() {
        assertEquals("{\"rooms\":[{\"token\":\"ghost-abcd1234\",\"participantCount\":0,\"expiresAt\":\"" + AT
                        + "\",\"createdAt\":\"" + AT + "\"}]}",
                write(new PublicRoomsUpdate(List.of(new PublicRoom("ghost-abcd1234", null, 0, AT, AT)))));
    }

    @Test
    void usernameSetWritesUsername() {
        assertEquals("{\"username\":\"Ann\"}", write(new UsernameSet("Ann")));
    }

    @Test
    void activeUsersWritesUsers() {
        assertEquals("{\"users\":[\"Ann\"]}", write(new ActiveUsers(List.of("Ann"))));
    }

    @Test
    void roomLeftWritesNickname() {
        assertEquals("{\"nickname\":\"Ann\"}", write(new RoomLeft("Ann")));
    }

    @Test
    void messageDeletedWritesMessageId() {
        assertEquals("{\"messageId\":\"m1\"}", write(new MessageDeleted("m1")));
    }

    @Test
    void roomTtlWarningWritesExpiresInSeconds() {
        assertEquals("{\"expiresIn\":300}", write(new RoomTtlWarning(300)));
    }

    @Test
    void roomClosedWritesReason() {
        assertEquals("{\"reason\":\"expired\"}", write(new RoomClosed("expired")));
    }

    @Test
    void sendMessagePayloadReadsWithMissingOptionalFieldsAsNull() {
        SendMessagePayload payload = Json.read("{\"type\":\"TEXT\",\"content\":\"hi\"}", SendMessagePayload.class);
        assertEquals("TEXT", payload.type());
        assertEquals("hi", payload.content());
        assertNull(payload.attachments());
        assertNull(payload.clientId());
    }

    @Test
    void joinRoomPayloadReadsRoomTokenAndSessionToken() {
        assertEquals(new JoinRoomPayload("ghost-abcd1234", "s"),
                Json.read("{\"roomToken\":\"ghost-abcd1234\",\"sessionToken\":\"s\"}", JoinRoomPayload.class));
    }

    @Test
    void messageTypeFromWireMatchesExactUpperCaseName() {
        assertEquals(MessageType.IMAGE, MessageType.fromWire("IMAGE"));
    }

    @Test
    void messageTypeFromWireRejectsOtherCase() {
        assertNull(MessageType.fromWire("image"));
    }

    @Test
    void messageTypeFromWireRejectsUnknownAndNull() {
        assertNull(MessageType.fromWire("VIDEO"));
        assertNull(MessageType.fromWire(null));
    }

    // ---- room controls

    @Test
    void roomTtlExtendedWritesExpiresAt() {
        assertEquals("{\"expiresAt\":\"" + AT + "\"}", write(new RoomTtlExtended(AT)));
    }

    @Test
    void userTypingWritesNicknameAndIsTyping() {
        assertEquals("{\"nickname\":\"Ann\",\"isTyping\":true}", write(new UserTyping("Ann", true)));
        assertEquals("{\"nickname\":\"Ann\",\"isTyping\":false}", write(new UserTyping("Ann", false)));
    }

    @Test
    void typingPayloadReadsIsTyping() {
        assertEquals(new TypingPayload(true), Json.read("{\"isTyping\":true}", TypingPayload.class));
        assertEquals("{\"isTyping\":false}", write(new TypingPayload(false)));
    }
}
