package io.ghostrooms.protocol;

/** Socket.IO event names of the contract. */
public final class Events {
    private Events() {
    }

    // client -> server
    public static final String SET_USERNAME = "set_username";
    public static final String GET_ACTIVE_USERS = "get_active_users";
    public static final String GET_PUBLIC_ROOMS = "get_public_rooms";
    public static final String JOIN_ROOM = "join_room";
    public static final String SEND_MESSAGE = "send_message";
    public static final String DELETE_MESSAGE = "delete_message";
    public static final String LEAVE_ROOM = "leave_room";
    public static final String HEARTBEAT = "heartbeat";
    /** Room controls: a member is typing (or stopped); relayed, never stored. */
    public static final String TYPING = "typing";

    // server -> client
    public static final String USERNAME_SET = "username_set";
    public static final String ACTIVE_USERS = "active_users";
    public static final String PUBLIC_ROOMS_UPDATE = "public_rooms_update";
    public static final String ROOM_JOINED = "room_joined";
    public static final String USER_JOINED = "user_joined";
    public static final String USER_LEFT = "user_left";
    public static final String ROOM_LEFT = "room_left";
    public static final String NEW_MESSAGE = "new_message";
    public static final String MESSAGE_DELETED = "message_deleted";
    public static final String ROOM_TTL_WARNING = "room_ttl_warning";
    public static final String ROOM_CLOSED = "room_closed";
    /** Room controls: the owner set a new expiry. */
    public static final String ROOM_TTL_EXTENDED = "room_ttl_extended";
    /** Room controls: another member is typing (or stopped). */
    public static final String USER_TYPING = "user_typing";
    public static final String ERROR = "error";
}
