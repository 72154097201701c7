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

    /**
     * A room's owner token (room controls): the session token's format and entropy (32 of 62
     * characters, about 190 bits), so a fast hash is enough to store it; shown once, never logged.
     */
    public String newOwnerToken() {
        return randomString(SESSION_ALPHABET, 32);
    }

    /** Only this hash of a session or owner token is stored, so a database dump grants no access. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stand-in hash compared against when there is none (unknown room, room without owner). */
    private static final byte[] NO_HASH = new byte[32];

    /**
     * True when {@code presented} is the token whose {@link #hash} is {@code storedHash}. The
     * presented token is hashed and the two digests compared in constant time (MessageDigest.isEqual),
     * also when there is no stored hash (null: compared against a stand-in, then false), so the time
     * taken tells neither how much of a token matched nor whether the room has an owner at all.
     */
    public static boolean matchesHash(String presented, String storedHash) {
        byte[] expected = NO_HASH;
        boolean stored = false;
        if (storedHash != null && storedHash.length() == 64) {
            try {
                expected = HexFormat.of().parseHex(storedHash);
                stored = true;
            } catch (IllegalArgumentException e) {
                expected = NO_HASH;
            }
        }
        byte[] actual = sha256(presented == null ? "" : presented);
        return MessageDigest.isEqual(actual, expected) && stored && presented != null;
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
