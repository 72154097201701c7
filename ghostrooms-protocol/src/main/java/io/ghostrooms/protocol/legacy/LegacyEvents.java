package io.ghostrooms.protocol.legacy;

/** Socket.IO event names of the legacy ChatBackEnd API (PROTOCOL "Legacy events"). */
public final class LegacyEvents {
    private LegacyEvents() {
    }

    // client -> server
    public static final String REGISTER = "register";
    public static final String CREATE_ROOM = "createRoom";
    public static final String JOIN_ROOM = "joinRoom";
    public static final String SEND_MESSAGE = "sendMessage";
    public static final String LEAVE_ROOM = "leaveRoom";
    public static final String GET_ROOMS = "getRooms";

    // server -> client
    public static final String REGISTERED = "registered";
    public static final String ROOM_CREATED = "roomCreated";
    public static final String JOINED_ROOM = "joinedRoom";
    public static final String NEW_MESSAGE = "newMessage";
    public static final String USER_JOINED = "userJoined";
    public static final String USER_LEFT = "userLeft";
    public static final String ROOMS_LIST = "roomsList";
    /** The same event name as the token API's errors, with the same {message, code}. */
    public static final String ERROR = "error";
}
