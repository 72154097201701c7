package io.ghostrooms.protocol.socket;

import java.util.List;

public record RoomJoined(String roomToken, int participantCount, List<String> participants, List<MessageDto> messages) {
}
