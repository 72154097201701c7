package io.ghostrooms.server.messages;

import io.ghostrooms.persistence.attachments.AttachmentRow;
import io.ghostrooms.persistence.messages.MessageRow;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.files.Attachments;
import java.util.List;
import java.util.Map;

/** Rows to the wire's message object. */
public final class MessageMapper {
    private MessageMapper() {
    }

    public static MessageDto message(MessageRow row, List<AttachmentRow> attachments) {
        return new MessageDto(row.id(), row.type(), row.content(), row.nickname(), Timestamps.format(row.createdAt()),
                attachments.stream().map(Attachments::toDto).toList());
    }

    /** Messages in the given order, each with its attachments from the map (missing: none). */
    public static List<MessageDto> messages(List<MessageRow> rows, Map<String, List<AttachmentRow>> attachments) {
        return rows.stream().map(r -> message(r, attachments.getOrDefault(r.id(), List.of()))).toList();
    }
}
