package io.ghostrooms.protocol.socket;

import java.util.List;

/** send_message payload; clientId (ours) makes a retry idempotent. */
public record SendMessagePayload(String type, String content, List<AttachmentDto> attachments, String clientId) {
}
