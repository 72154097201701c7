package io.ghostrooms.protocol.socket;

import java.util.List;

/** Payload of user_joined and user_left. */
public record ParticipantChange(String nickname, int participantCount, List<String> participants) {
}
