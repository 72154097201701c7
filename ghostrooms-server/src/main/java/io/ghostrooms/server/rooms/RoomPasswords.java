package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Text;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Room passwords (room controls), stored only as a salted slow hash: PBKDF2 with HMAC-SHA256 from
 * the JDK, {@value #ITERATIONS} iterations (OWASP's 2023 figure for this function), a 16-byte
 * random salt and a 32-byte key, encoded with its parameters as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (unpadded Base64), so the cost can be raised
 * later and older hashes still verify. Verification recomputes with the stored parameters and
 * compares in constant time. Hashing takes a worker about a tenth of a second: it never runs on
 * an event loop (REST runs on workers), and every join attempt spends the lookup budget first.
 */
public final class RoomPasswords {
    public static final String ALGORITHM = "pbkdf2-sha256";
    public static final int ITERATIONS = 210_000;
    public static final int SALT_BYTES = 16;
    public static final int KEY_BYTES = 32;
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 128;
    /** A stored hash is ours, but its cost is still bounded: a bad row must not stall a worker for minutes. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final int iterations;

    public RoomPasswords() {
        this(ITERATIONS);
    }

    /** For tests of the encoding only: fewer iterations than the contract's minimum are refused elsewhere. */
    RoomPasswords(int iterations) {
        this.iterations = iterations;
    }

    /**
     * A create body's password: null when absent; 4-128 code points of Unicode scalar text (the JSON
     * reader refused unpaired surrogates and NUL already) or INVALID_ROOM. Taken as given: neither
     * trimmed nor normalised, so what the creator typed is what joiners must type.
     */
    public static String validate(String raw) {
        if (raw == null) {
            return null;
        }
        int length = Text.codePoints(raw);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new GhostRoomsException(ErrorCode.INVALID_ROOM,
                    "password must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters");
        }
        return raw;
    }

    /** The encoded hash of a password, under a fresh salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] key = derive(password, salt, iterations, KEY_BYTES);
        return ALGORITHM + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(key);
    }

    /**
     * True when {@code password} is the one {@code encoded} was made from. A password longer than
     * any that can be set is false without hashing; an encoding that cannot be read is false too.
     */
    public static boolean verify(String password, String encoded) {
        if (password == null || password.isEmpty() || encoded == null || Text.codePoints(password) > MAX_LENGTH) {
            return false;
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !ALGORITHM.equals(parts[0])) {
            return false;
        }
        int rounds;
        byte[] salt;
        byte[] expected;
        try {
            rounds = Integer.parseInt(parts[1]);
            salt = B64_DECODER.decode(parts[2]);
            expected = B64_DECODER.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (rounds < 1 || rounds > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
            return false;
        }
        byte[] actual = derive(password, salt, rounds, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    private static byte[] derive(String password, byte[] salt, int rounds, int keyBytes) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, rounds, keyBytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
