package io.ghostrooms.protocol;

/**
 * Every error the server can report, with the HTTP status REST maps it to and a message that is
 * safe to show (no tokens, SQL or paths). Socket errors carry the same code and message.
 */
public enum ErrorCode {
    INVALID_REQUEST(400, "Invalid request"),
    INVALID_ROOM(400, "Invalid room settings"),
    ROOM_NOT_FOUND(404, "Room not found"),
    ROOM_EXPIRED(410, "Room has expired"),
    ROOM_FULL(403, "Room is full"),
    ROOM_LOCKED(403, "Room is locked: it takes no new members"),
    PASSWORD_REQUIRED(401, "This room needs a password"),
    WRONG_PASSWORD(403, "Wrong password"),
    MISSING_NICKNAME(400, "Nickname is required"),
    INVALID_NICKNAME(400, "Nickname must be 2-20 characters of letters, digits, space, '.', '_' or '-'"),
    NICKNAME_IN_USE(409, "Nickname is already in use in this room"),
    UNAUTHORIZED(401, "Missing or invalid session"),
    FORBIDDEN(403, "Not allowed"),
    RATE_LIMIT_EXCEEDED(429, "Too many requests, slow down"),
    NO_FILE(400, "No file uploaded"),
    INVALID_FILE_TYPE(400, "File type not allowed"),
    FILE_TOO_LARGE(413, "File is too large"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    PAYLOAD_TOO_LARGE(413, "Request body is too large"),
    INVALID_MESSAGE(400, "Message content is invalid"),
    MESSAGE_TOO_LONG(400, "Message is too long"),
    MISSING_ATTACHMENT(400, "Attachment is required"),
    INVALID_MESSAGE_TYPE(400, "Invalid message type"),
    INVALID_ATTACHMENT(400, "Attachment was not uploaded to this server"),
    INVALID_SESSION(401, "Invalid session"),
    SESSION_EXPIRED(401, "Session has expired"),
    NOT_IN_ROOM(400, "Not in a room"),
    MESSAGE_NOT_FOUND(404, "Message not found"),
    INVALID_USERNAME(400, "Invalid username"),
    USERNAME_TOO_SHORT(400, "Username must be at least 2 characters"),
    USERNAME_TOO_LONG(400, "Username must be at most 20 characters"),
    USERNAME_TAKEN(409, "Username is already taken"),
    INVALID_PAYLOAD(400, "Invalid payload"),
    DATABASE_UNAVAILABLE(503, "Database is unavailable, try again shortly"),
    STORAGE_UNAVAILABLE(503, "File storage is unavailable, try again shortly"),
    SERVER_BUSY(503, "Server is busy, try again shortly"),
    INTERNAL_ERROR(500, "Internal server error");

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
