package io.ghostrooms.server.presence;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;

/** The global username rule: 2-20 characters after trimming, no control characters. */
public final class Usernames {
    public static final int MIN = 2;
    public static final int MAX = 20;

    private Usernames() {
    }

    public static String validate(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME, "Username is required");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME, "Username contains control characters");
        }
        if (name.length() < MIN) {
            throw new GhostRoomsException(ErrorCode.USERNAME_TOO_SHORT);
        }
        if (name.length() > MAX) {
            throw new GhostRoomsException(ErrorCode.USERNAME_TOO_LONG);
        }
        return name;
    }
}
