package io.ghostrooms.server.common;

import io.ghostrooms.protocol.ErrorCode;

/**
 * The one error type services throw. Its message is safe for clients (no tokens, SQL, paths);
 * REST and Socket.IO map it to the wire in one place each.
 */
public class GhostRoomsException extends RuntimeException {
    private final ErrorCode code;
    private final Long retryAfterSeconds;

    public GhostRoomsException(ErrorCode code) {
        this(code, code.defaultMessage(), null);
    }

    public GhostRoomsException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public GhostRoomsException(ErrorCode code, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
