package io.ghostrooms.protocol.legacy;

import java.util.List;

/** The legacy API's answers, each {success: true, ...} as the original sends them. */
public final class LegacyResults {
    private LegacyResults() {
    }

    /** registered. */
    public record Registered(boolean success, LegacyUser user) {
        public Registered(LegacyUser user) {
            this(true, user);
        }
    }

    /** roomCreated, joinedRoom, and GET /api/rooms/:roomId. */
    public record OneRoom(boolean success, LegacyRoom room) {
        public OneRoom(LegacyRoom room) {
            this(true, room);
        }
    }

    /** roomsList and GET /api/rooms. */
    public record Rooms(boolean success, List<LegacyRoom> rooms) {
        public Rooms(List<LegacyRoom> rooms) {
            this(true, rooms);
        }
    }

    /** userJoined and userLeft, to the other sockets of the room. */
    public record UserPresence(String userId, String username) {
    }

    /** GET /api/rooms/:roomId for no live legacy room: the original's body, its error a plain string. */
    public record NotFound(boolean success, String error) {
        public static final NotFound ROOM = new NotFound(false, "Room not found");
    }

    /** The answer to a legacy event's ack callback, when a client passed one (ours): success, or the error. */
    public record Done(boolean success) {
        public static final Done OK = new Done(true);
    }

    /** An ack's failure: {success: false, error: {message, code}}. */
    public record Failed(boolean success, Error error) {
        public record Error(String message, String code) {
        }

        public Failed(String message, String code) {
            this(false, new Error(message, code));
        }
    }
}
