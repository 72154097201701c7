package io.ghostrooms.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {
    private static final String DESERET_CAPITAL_LONG_I = new String(Character.toChars(0x10400)); // 𐐀
    private static final String DESERET_SMALL_LONG_I = new String(Character.toChars(0x10428));   // 𐐨
    private static final String MATH_BOLD_A = new String(Character.toChars(0x1D400));            // 𝐀
    private static final String FFFD = "\uFFFD";

    private static String repeatCodePoint(int cp, int times) {
        return new String(Character.toChars(cp)).repeat(times);
    }

    // ---------------------------------------------------------------- isScalarText

    @ParameterizedTest
    @ValueSource(strings = {"", "Ann", "héllo wörld", "\uD801\uDC00\uD835\uDC00", "tab\tand\nnewline", "\uFFFD",
            "\uFEFF", "\u200F"})
    void scalarTextIsAccepted(String s) {
        assertTrue(Text.isScalarText(s));
    }

    @Test
    void aLoneHighSurrogateIsRefused() {
        assertFalse(Text.isScalarText("ab\uD800"));
        assertFalse(Text.isScalarText("\uD800b"));
    }

    @Test
    void aLoneLowSurrogateIsRefused() {
        assertFalse(Text.isScalarText("\uDC00"));
        assertFalse(Text.isScalarText("a\uDC00b"));
    }

    @Test
    void surrogatesInTheWrongOrderAreRefused() {
        assertFalse(Text.isScalarText("\uDC00\uD800"));
    }

    @Test
    void twoHighSurrogatesBeforeALowOneLeaveOneUnpaired() {
        assertFalse(Text.isScalarText("\uD800\uD800\uDC00"));
    }

    @Test
    void nulIsRefusedAnywhere() {
        assertFalse(Text.isScalarText("\u0000"));
        assertFalse(Text.isScalarText("Ann\u0000"));
        assertFalse(Text.isScalarText(MATH_BOLD_A + "\u0000" + MATH_BOLD_A));
    }

    @Test
    void otherControlCharactersAreScalarText() {
        // Message content keeps them as sent; names are refused them by their own character rule.
        assertTrue(Text.isScalarText("\u0001\u001B\u007F\u0085"));
    }

    @Test
    void isScalarTextOfNullThrows() {
        assertThrows(NullPointerException.class, () -> Text.isScalarText(null));
    }

    // ---------------------------------------------------------------- codePoints

    @Test
    void codePointsCountsANonBmpLetterOnce() {
        assertEquals(1, Text.codePoints(DESERET_CAPITAL_LONG_I));
        assertEquals(2, DESERET_CAPITAL_LONG_I.length());
        assertEquals(20, Text.codePoints(repeatCodePoint(0x1D400, 20)));
    }

    @Test
    void codePointsOfBmpTextIsItsLength() {
        assertEquals(0, Text.codePoints(""));
        assertEquals(5, Text.codePoints("héllo"));
    }

    @Test
    void codePointsCountsAnUnpairedSurrogateOnce() {
        assertEquals(3, Text.codePoints("a\uD800b"));
    }

    // ---------------------------------------------------------------- fold

    @Test
    void foldIgnoresAsciiCase() {
        assertEquals(Text.fold("ann"), Text.fold("ANN"));
        assertEquals(Text.fold("ann"), Text.fold("aNn"));
        assertEquals("ann", Text.fold("Ann"));
    }

    @Test
    void foldOfSharpSMatchesDoubleS() {
        assertEquals("strasse", Text.fold("Straße"));
        assertEquals(Text.fold("STRASSE"), Text.fold("straße"));
        assertEquals("ss", Text.fold("\u1E9E"), "capital sharp s (U+1E9E) joins ß, SS and ss");
    }

    @Test
    void foldOfSigmaMatchesEveryFormOfIt() {
        assertEquals(Text.fold("ΣΑΣ"), Text.fold("σας"));
        assertEquals(Text.fold("σας"), Text.fold("σασ"));
        assertEquals(Text.fold("ΟΔΥΣΣΕΥΣ"), Text.fold("Οδυσσευς"));
    }

    @Test
    void foldOfDottedCapitalIIsLongerThanIt() {
        String folded = Text.fold("\u0130");
        assertEquals("i\u0307", folded);
        assertEquals(Text.fold("i\u0307"), folded, "İ and i + combining dot above share a key");
        assertNotEquals(Text.fold("i"), folded, "but not with plain i: Locale.ROOT, no Turkish rules");
        assertEquals("i", Text.fold("I"));
    }

    @Test
    void foldOfDeseretCapitalMatchesItsSmallLetter() {
        assertEquals(DESERET_SMALL_LONG_I, Text.fold(DESERET_CAPITAL_LONG_I));
        assertEquals(Text.fold(DESERET_CAPITAL_LONG_I.repeat(20)), Text.fold(DESERET_SMALL_LONG_I.repeat(20)));
    }

    @Test
    void foldLeavesNonBmpLettersWithoutCaseAlone() {
        assertEquals(MATH_BOLD_A, Text.fold(MATH_BOLD_A));
    }

    @Test
    void foldNeverThrowsOnUnpairedSurrogatesAndKeepsThem() {
        assertEquals("a\uD800b\uDC00", Text.fold("A\uD800B\uDC00"));
    }

    @Test
    void foldIsDeterministicAndIdempotent() {
        for (String s : new String[] {"Straße", "\u1E9E", "ΣΑΣ", "\u0130stanbul", "\u0390", "ﬁ", DESERET_CAPITAL_LONG_I}) {
            assertEquals(Text.fold(s), Text.fold(s));
            assertEquals(Text.fold(s), Text.fold(Text.fold(s)), s);
        }
    }

    /** Every code point, alone: the fold is idempotent and at most 3 UTF-16 units long. */
    @Test
    void foldOfEveryCodePointIsIdempotentAndAtMostThreeUnits() {
        int longest = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = new String(Character.toChars(cp));
            String folded = Text.fold(s);
            longest = Math.max(longest, folded.length());
            if (!folded.equals(Text.fold(folded))) {
                throw new AssertionError(String.format("fold of U+%04X is not idempotent", cp));
            }
        }
        assertEquals(3, longest);
    }

    /** 20 code points whose upper case is 3 chars (U+0390 ΐ, U+FB03 ﬃ): the key is 60 units, within VARCHAR(255). */
    @Test
    void theFoldOfAnyTwentyCodePointNameFitsTheKeyColumn() {
        assertEquals(60, Text.fold(repeatCodePoint(0x0390, 20)).length());
        assertEquals(60, Text.fold(repeatCodePoint(0xFB03, 20)).length());
        assertEquals(40, Text.fold(repeatCodePoint(0x0130, 20)).length());
        Random random = new Random(23);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < 20; j++) {
                name.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
            }
            assertTrue(Text.fold(name.toString()).length() <= 255);
        }
    }

    @Test
    void foldOfNullThrows() {
        assertThrows(NullPointerException.class, () -> Text.fold(null));
    }

    // ---------------------------------------------------------------- cleanDisplayName

    @Test
    void aCleanShortNameIsReturnedAsIs() {
        String name = "holiday photo.png";
        assertSame(name, Text.cleanDisplayName(name, 255));
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("a" + FFFD + "b" + FFFD + ".png", Text.cleanDisplayName("a\uD800b\uDC00.png", 255));
        assertEquals(FFFD + FFFD, Text.cleanDisplayName("\uDC00\uD800", 255));
    }

    @Test
    void surrogatePairsAreKept() {
        String name = DESERET_CAPITAL_LONG_I + MATH_BOLD_A + ".txt";
        assertEquals(name, Text.cleanDisplayName(name, 255));
    }

    @Test
    void controlCharactersBecomeReplacementCharacters() {
        assertEquals("a" + FFFD + FFFD + FFFD + FFFD + FFFD + "b.txt",
                Text.cleanDisplayName("a\u0000\n\u001B\u007F\u0085b.txt", 255));
    }

    @Test
    void lineAndParagraphSeparatorsBecomeReplacementCharacters() {
        assertEquals("a" + FFFD + "b" + FFFD + ".txt", Text.cleanDisplayName("a\u2028b\u2029.txt", 255));
    }

    @Test
    void bidiControlsBecomeReplacementCharacters() {
        // "invoice\u202Egpj.exe" would display as "invoiceexe.jpg".
        assertEquals("invoice" + FFFD + "gpj.exe", Text.cleanDisplayName("invoice\u202Egpj.exe", 255));
        for (int cp : new int[] {0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
                0x2069, 0x061C}) {
            assertEquals("a" + FFFD, Text.cleanDisplayName("a" + new String(Character.toChars(cp)), 255),
                    String.format("U+%04X", cp));
        }
    }

    @Test
    void ordinaryFormatCharactersAreKept() {
        assertEquals("a\u200Db\u00ADc", Text.cleanDisplayName("a\u200Db\u00ADc", 255));
    }

    @Test
    void aLongNameIsCutKeepingItsExtension() {
        String raw = "a".repeat(296) + ".png";
        String cleaned = Text.cleanDisplayName(raw, 255);
        assertEquals("a".repeat(251) + ".png", cleaned);
        assertEquals(255, Text.codePoints(cleaned));
    }

    @Test
    void aLongNameOfNonBmpLettersIsCutAtCodePointsKeepingItsExtension() {
        String raw = repeatCodePoint(0x1D400, 300) + ".jpeg";
        String cleaned = Text.cleanDisplayName(raw, 255);
        assertEquals(repeatCodePoint(0x1D400, 250) + ".jpeg", cleaned);
        assertEquals(255, Text.codePoints(cleaned));
        assertTrue(Text.isScalarText(cleaned));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        // Alternate BMP and non-BMP so the cut lands on every kind of boundary.
        for (int max = 1; max <= 12; max++) {
            String raw = ("a" + MATH_BOLD_A).repeat(10);
            String cleaned = Text.cleanDisplayName(raw, max);
            assertEquals(max, Text.codePoints(cleaned));
            assertTrue(Text.isScalarText(cleaned), "cut at " + max);
            assertTrue(raw.startsWith(cleaned));
        }
    }

    @Test
    void onlyTheLastExtensionIsKept() {
        assertEquals("archive.t.gz", Text.cleanDisplayName("archive.tar.gz", 12));
    }

    @Test
    void anExtensionMayHoldUpToTenAsciiAlphanumerics() {
        assertEquals("aa.abcdefghij", Text.cleanDisplayName("aaaaaa.abcdefghij", 13));
        // eleven: not an extension, cut plainly
        assertEquals("aaaaaa.abcdef", Text.cleanDisplayName("aaaaaa.abcdefghijk", 13));
    }

    @Test
    void aSuffixOfNonAsciiOrPunctuationIsNoExtension() {
        assertEquals("aaaaa.p", Text.cleanDisplayName("aaaaa.p-g", 7));
        assertEquals("aaaaa.é", Text.cleanDisplayName("aaaaa.ép", 7));
        assertEquals("aaaaa", Text.cleanDisplayName("aaaaa.", 5));
    }

    @Test
    void aNameWithoutExtensionIsCutPlainly() {
        assertEquals("a".repeat(255), Text.cleanDisplayName("a".repeat(300), 255));
    }

    @Test
    void aLeadingDotIsNoExtension() {
        assertEquals(".bash", Text.cleanDisplayName(".bashrc", 5));
    }

    @Test
    void anExtensionThatLeavesNoRoomBeforeItIsCutPlainly() {
        assertEquals("name", Text.cleanDisplayName("name.png", 4));
        assertEquals("n.png", Text.cleanDisplayName("name.png", 5));
    }

    @Test
    void cleaningComesBeforeTheCutAndCountsReplacementsAsOneCodePoint() {
        String raw = "\u202E".repeat(300) + ".png";
        assertEquals(FFFD.repeat(251) + ".png", Text.cleanDisplayName(raw, 255));
    }

    @Test
    void aNameOfExactlyTheMaximumIsKept() {
        String raw = repeatCodePoint(0x10400, 251) + ".png";
        assertEquals(raw, Text.cleanDisplayName(raw, 255));
    }

    @Test
    void maxCodePointsBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Text.cleanDisplayName("a", 0));
    }

    @Test
    void anEmptyNameStaysEmpty() {
        assertEquals("", Text.cleanDisplayName("", 255));
    }
}
