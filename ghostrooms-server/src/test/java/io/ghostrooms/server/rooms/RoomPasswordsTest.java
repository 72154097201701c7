package io.ghostrooms.server.rooms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** Room passwords: PBKDF2WithHmacSHA256 from the JDK, its parameters in the encoding, verified in constant time. */
class RoomPasswordsTest {
    private static final RoomPasswords PASSWORDS = new RoomPasswords();
    /** Few iterations: for the tests that hash many times and are about salts and encodings, not cost. */
    private static final RoomPasswords FAST = new RoomPasswords(1_000);

    @Test
    void theContractsParametersAreAtLeastOwaspsForPbkdf2Sha256() {
        assertTrue(RoomPasswords.ITERATIONS >= 210_000);
        assertEquals(16, RoomPasswords.SALT_BYTES);
        assertEquals(32, RoomPasswords.KEY_BYTES);
    }

    @Test
    void aHashIsEncodedWithItsAlgorithmIterationsSaltAndKey() {
        String encoded = PASSWORDS.hash("correct horse");
        String[] parts = encoded.split("\\$");
        assertEquals(4, parts.length, encoded);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals(Integer.toString(RoomPasswords.ITERATIONS), parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertFalse(encoded.contains("correct horse"));
        assertTrue(encoded.length() <= 200, "fits rooms.password_hash");
    }

    /** The stored key is exactly the JDK's PBKDF2WithHmacSHA256 of the password under the stored salt and count. */
    @Test
    void theKeyIsTheJdksPbkdf2WithHmacSha256UnderTheStoredParameters() throws Exception {
        String password = "Ünïcödé \uD83D\uDE00 pass";
        String[] parts = PASSWORDS.hash(password).split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, Integer.parseInt(parts[1]), 256);
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        assertArrayEquals(expected, Base64.getDecoder().decode(parts[3]));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        Set<String> salts = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String[] parts = FAST.hash("same password").split("\\$");
            salts.add(parts[2]);
            keys.add(parts[3]);
        }
        assertEquals(200, salts.size());
        assertEquals(200, keys.size(), "one password, 200 different stored keys");
    }

    @Test
    void verifyAcceptsThePasswordAndNothingElse() {
        String encoded = PASSWORDS.hash("s3cret-pass");
        assertTrue(RoomPasswords.verify("s3cret-pass", encoded));
        for (String wrong : new String[] {"s3cret-pasS", "S3cret-pass", "s3cret-pas", "s3cret-pass ", " s3cret-pass", ""}) {
            assertFalse(RoomPasswords.verify(wrong, encoded), wrong);
        }
        assertFalse(RoomPasswords.verify(null, encoded));
        assertFalse(RoomPasswords.verify("s3cret-pass", null));
    }

    /** The iteration count is read from each stored hash: hashes made at another cost still verify. */
    @Test
    void verifyUsesTheParametersStoredWithTheHash() {
        String cheaper = FAST.hash("older room");
        assertTrue(cheaper.startsWith("pbkdf2-sha256$1000$"));
        assertTrue(RoomPasswords.verify("older room", cheaper));
        assertFalse(RoomPasswords.verify("older room", cheaper.replace("$1000$", "$1001$")));
    }

    /**
     * The whole key is compared (MessageDigest.isEqual: constant time, it does not stop at the first
     * difference): a stored key that differs from the right one only in its first or only in its
     * last byte is refused alike.
     */
    @Test
    void verifyComparesTheWholeKey() {
        String encoded = FAST.hash("whole key");
        String[] parts = encoded.split("\\$");
        byte[] key = Base64.getDecoder().decode(parts[3]);
        for (int at : new int[] {0, key.length - 1}) {
            byte[] changed = key.clone();
            changed[at] ^= 1;
            String tampered = parts[0] + "$" + parts[1] + "$" + parts[2] + "$"
                    + Base64.getEncoder().withoutPadding().encodeToString(changed);
            assertFalse(RoomPasswords.verify("whole key", tampered), "byte " + at);
        }
        assertTrue(RoomPasswords.verify("whole key", encoded));
    }

    @Test
    void anEncodingThatCannotBeReadVerifiesNothing() {
        String encoded = FAST.hash("pw12");
        for (String bad : new String[] {"", "plain", encoded.replace("pbkdf2-sha256", "pbkdf2-sha1"),
                "pbkdf2-sha256$abc$AAAA$AAAA", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$$AAAA",
                "pbkdf2-sha256$99999999999$AAAA$AAAA", "pbkdf2-sha256$1000$!!!$AAAA", encoded + "$extra"}) {
            assertFalse(RoomPasswords.verify("pw12", bad), bad);
        }
    }

    @Test
    void aPasswordLongerThanAnyThatCanBeSetIsFalseWithoutHashing() {
        String encoded = FAST.hash("x".repeat(128));
        assertTrue(RoomPasswords.verify("x".repeat(128), encoded));
        assertFalse(RoomPasswords.verify("x".repeat(129), encoded));
    }

    @Test
    void aCreatePasswordIsFourTo128CodePointsTakenAsGiven() {
        assertNull(RoomPasswords.validate(null));
        assertEquals("abcd", RoomPasswords.validate("abcd"));
        assertEquals("  ab  ", RoomPasswords.validate("  ab  "), "neither trimmed nor normalised");
        assertEquals("\uD83D\uDE00".repeat(128), RoomPasswords.validate("\uD83D\uDE00".repeat(128)), "code points, not UTF-16 units");
        for (String bad : new String[] {"", "abc", "\uD83D\uDE00".repeat(3), "x".repeat(129)}) {
            GhostRoomsException e = assertThrows(GhostRoomsException.class, () -> RoomPasswords.validate(bad));
            assertEquals(ErrorCode.INVALID_ROOM, e.code());
            assertFalse(e.getMessage().contains(bad.isEmpty() ? "\u0000" : bad), "no password in the message");
        }
    }
}
