package io.ghostrooms.server.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Token formats of the contract, drawn from a CSPRNG. */
public final class Tokens {
    private static final String ROOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SESSION_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final java.util.regex.Pattern ROOM_TOKEN =
            java.util.regex.Pattern.compile("ghost-[a-z0-9]{8}|ghost-dm-[A-Za-z0-9_-]{6}");
    private final SecureRandom random = new SecureRandom();

    public String newRoomToken() {
        return "ghost-" + randomString(ROOM_ALPHABET, 8);
    }

    /** Deterministic DM token: clients compute `name` from the two usernames. */
    public static String dmRoomToken(String name) {
        return "ghost-dm-" + name.substring(0, Math.min(6, name.length()));
    }

    public String newSessionToken() {
        return randomString(SESSION_ALPHABET, 32);
    }

    /** Only this hash of a session token is stored, so a database dump grants no access. */
    public static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isRoomTokenShaped(String token) {
        return token != null && ROOM_TOKEN.matcher(token).matches();
    }

    public static boolean isSessionTokenShaped(String token) {
        return token != null && token.length() == 32 && token.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    private String randomString(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }
}
