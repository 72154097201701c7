package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Names;
import io.ghostrooms.server.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/** Validation rules for room settings and nicknames. */
public final class RoomRules {
    public static final int MAX_NAME_LENGTH = 100;
    public static final double MAX_TTL_HOURS = 168;
    /** Members are warned when their room ends within this many seconds. */
    public static final long WARNING_SECONDS = 300;
    private static final Pattern DM_NAME = Pattern.compile("[A-Za-z0-9_-]{6,}");

    private RoomRules() {
    }

    /** Trimmed nickname, or MISSING_NICKNAME / INVALID_NICKNAME. */
    public static String nickname(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new GhostRoomsException(ErrorCode.MISSING_NICKNAME);
        }
        String trimmed = raw.strip();
        int length = Names.length(trimmed);
        if (length < Names.MIN || length > Names.MAX || !Names.allowedCharacters(trimmed)) {
            throw new GhostRoomsException(ErrorCode.INVALID_NICKNAME);
        }
        return trimmed;
    }

    /** The case-insensitive key nicknames are unique by within a room. */
    public static String nicknameKey(String nickname) {
        return Names.key(nickname);
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
        if (Text.codePoints(trimmed) > MAX_NAME_LENGTH || trimmed.codePoints().anyMatch(Character::isISOControl)) {
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

    /** Whole seconds until the end, rounded up (a room ending in 0.2 s has 1 s left), never negative. */
    public static long secondsLeft(Instant now, Instant expiresAt) {
        return Math.max(0, (Duration.between(now, expiresAt).toMillis() + 999) / 1000);
    }
}
