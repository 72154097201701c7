package io.ghostrooms.server.presence;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Names;

/** set_username's rule: the names rule, with the codes of the global username. */
public final class Usernames {
    private Usernames() {
    }

    public static String validate(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME, "Username is required");
        }
        if (!Names.allowedCharacters(name)) {
            throw new GhostRoomsException(ErrorCode.INVALID_USERNAME,
                    "Username may hold letters, digits, spaces, '.', '_' and '-' only");
        }
        int length = Names.length(name);
        if (length < Names.MIN) {
            throw new GhostRoomsException(ErrorCode.USERNAME_TOO_SHORT);
        }
        if (length > Names.MAX) {
            throw new GhostRoomsException(ErrorCode.USERNAME_TOO_LONG);
        }
        return name;
    }
}
