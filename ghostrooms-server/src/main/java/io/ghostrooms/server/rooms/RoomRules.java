package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation rules for room settings and nicknames. */
public final class RoomRules {
    public static final int MAX_NAME_LENGTH = 100;
    public static final double MAX_TTL_HOURS = 168;
    private static final Pattern NICKNAME = Pattern.compile("[\\p{L}\\p{N} ._-]{2,20}");
    private static final Pattern DM_NAME = Pattern.compile("[A-Za-z0-9_-]{6,}");

    private RoomRules() {
    }

    /** Trimmed nickname, or MISSING_NICKNAME / INVALID_NICKNAME. */
    public static String nickname(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new GhostRoomsException(ErrorCode.MISSING_NICKNAME);
        }
        String trimmed = raw.strip();
        if (!NICKNAME.matcher(trimmed).matches()) {
            throw new GhostRoomsException(ErrorCode.INVALID_NICKNAME);
        }
        return trimmed;
    }

    /** The case-insensitive key nicknames are unique by within a room. */
    public static String nicknameKey(String nickname) {
        return nickname.toLowerCase(Locale.ROOT);
    }

    public static double ttlHours(Double requested, double fallback) {
        if (requested == null) {
            return fallback;
        }
        double max = Math.max(MAX_TTL_HOURS, fallback);
        if (requested.isNaN() || requested <= 0 || requested > max) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM, "ttlHours must be a number above 0 and at most " + (long) max);
        }
        return requested;
    }

    /** Trimmed room name, null when absent or blank. */
    public static String name(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String trimmed = raw.strip();
        if (trimmed.length() > MAX_NAME_LENGTH || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM,
                    "name must be at most " + MAX_NAME_LENGTH + " characters without control characters");
        }
        return trimmed;
    }

    public static String dmName(String name) {
        if (name == null || !DM_NAME.matcher(name).matches()) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM,
                    "a DM room needs a name of at least 6 characters of letters, digits, '_' or '-'");
        }
        return name;
    }
}
