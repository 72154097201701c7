package io.ghostrooms.protocol.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The message object of new_message, room_joined.messages and REST history. content may be null. */
public record MessageDto(String id, String type, @JsonInclude(JsonInclude.Include.ALWAYS) String content,
                         String nickname, String createdAt, List<AttachmentDto> attachments) {
}
