package io.ghostrooms.server.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Owner tokens: the session token's format from the CSPRNG, stored as SHA-256, matched in constant time. */
class TokensTest {
    private final Tokens tokens = new Tokens();

    @Test
    void ownerTokensAre32AlphanumericCharactersAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = tokens.newOwnerToken();
            assertTrue(token.matches("[A-Za-z0-9]{32}"), token);
            assertTrue(Tokens.isSessionTokenShaped(token));
            seen.add(token);
        }
        assertEquals(1_000, seen.size());
    }

    @Test
    void theStoredHashIsTheSha256OfTheTokenInHex() throws Exception {
        String token = tokens.newOwnerToken();
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, Tokens.hash(token));
        assertEquals(64, Tokens.hash(token).length());
        assertNotEquals(token, Tokens.hash(token));
    }

    @Test
    void matchesHashAcceptsTheTokenOnly() {
        String token = tokens.newOwnerToken();
        String stored = Tokens.hash(token);
        assertTrue(Tokens.matchesHash(token, stored));
        char last = token.charAt(31);
        String oneOff = token.substring(0, 31) + (last == 'a' ? 'b' : 'a');
        assertFalse(Tokens.matchesHash(oneOff, stored));
        assertFalse(Tokens.matchesHash(tokens.newOwnerToken(), stored));
        assertFalse(Tokens.matchesHash(stored, stored), "the hash itself is no token");
        assertFalse(Tokens.matchesHash(null, stored));
    }

    /** Nothing stored (unknown room, a room from before owners): false, after the same hashing and comparison. */
    @Test
    void matchesHashWithoutAStoredHashIsFalse() {
        String token = tokens.newOwnerToken();
        assertFalse(Tokens.matchesHash(token, null));
        assertFalse(Tokens.matchesHash(token, ""));
        assertFalse(Tokens.matchesHash(token, "zz".repeat(32)), "not hex");
        assertFalse(Tokens.matchesHash(token, "0".repeat(63)));
        assertFalse(Tokens.matchesHash("", "0".repeat(64)));
    }
}
