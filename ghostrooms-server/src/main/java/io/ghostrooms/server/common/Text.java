package io.ghostrooms.server.common;

import java.util.Locale;

/**
 * Text rules of PROTOCOL "Input rules", in one place so every transport (REST JSON, Socket.IO,
 * multipart) applies the same ones: text is Unicode scalar values, lengths count code points,
 * case-insensitive uniqueness compares a fold that cannot throw, and an uploaded file's display
 * name is cleaned rather than refused.
 *
 * <p>Java strings are UTF-16 and may hold unpaired surrogates (a JSON "\\ud800" escape decodes
 * to one), so {@link String#length()} is neither a character count nor a guarantee of valid text.
 */
public final class Text {
    /** What an unpaired surrogate or a control character of a display name becomes. */
    public static final char REPLACEMENT = '\uFFFD';
    /** An extension {@link #cleanDisplayName} keeps when it cuts: "." and 1-10 ASCII letters or digits. */
    private static final int MAX_EXTENSION = 10;

    private Text() {
    }

    /**
     * True when {@code s} is Unicode scalar values without U+0000: no unpaired UTF-16 surrogate
     * (invalid UTF-8 or a JSON "\\ud800" escape decodes to one) and no NUL (PostgreSQL cannot
     * store it in text; C-based tools cut the string there). Such input is refused with its field's
     * code, never rewritten: what is acknowledged must be what is stored and delivered.
     *
     * @throws NullPointerException when {@code s} is null (presence is the caller's rule)
     */
    public static boolean isScalarText(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return false;
            }
            if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length our rules count (nickname 2-20, message length, file names): code points, so a
     * letter outside the BMP counts one, not two. An unpaired surrogate counts one.
     */
    public static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * The key case-insensitive uniqueness of nicknames and usernames compares: upper case, then
     * lower case, both in {@link Locale#ROOT}, done twice.
     *
     * <ul>
     * <li>Upper first so that letters whose lower forms differ but whose upper form is one fold
     *     together: ß/SS/ss, ς/σ/Σ (lower-casing the upper form puts the final-sigma form back by
     *     its position, the same for every spelling), 'ﬁ'/FI/fi; plain lower-casing keeps them apart.</li>
     * <li>Twice, because one round is not idempotent for exactly one code point: 'ẞ' (U+1E9E) gives
     *     'ß', whose own fold is "ss". Two rounds are idempotent for every code point (TextTest
     *     checks all of them), so ẞ, ß, SS and ss share one key.</li>
     * <li>{@link Locale#ROOT}: the same key on every machine, never the Turkish dotless-i rules of a
     *     server's default locale. Deterministic for one JDK's Unicode tables; keys are only compared
     *     among the live sessions of one process's database, which a JDK upgrade's restart ends.</li>
     * <li>No Unicode normalization (NFC/NFKC): the nickname rule admits letters, digits, space, '.',
     *     '_' and '-' but no combining marks, so canonically equivalent spellings rarely arise, and
     *     NFKC expands some letters 18-fold (U+FDFA), which would break the key's bound below.</li>
     * </ul>
     *
     * Never throws for a non-null string (unpaired surrogates pass through unchanged). The result can
     * be longer than {@code s} ('İ' becomes "i̇", two chars; 'ΐ' U+0390 upper-cases to three), but
     * never more than 3 UTF-16 units per code point of {@code s}: any 20-code-point name folds to at
     * most 60 units, which sessions.nickname_key (VARCHAR(255)) holds on H2 and PostgreSQL alike.
     * The length rule applies to the name as given, not to its fold.
     */
    public static String fold(String s) {
        return once(once(s));
    }

    private static String once(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * An uploaded file's display name as we show and store it: cleaned, not refused (the file is
     * what the user meant to send). Unpaired surrogates, ISO controls (C0, DEL, C1), the line and
     * paragraph separators U+2028/2029 and the bidi format controls (U+200E/200F, U+202A-202E,
     * U+2066-2069, U+061C, which can make "gpj.exe" display as "exe.jpg") become U+FFFD. A name of
     * more than {@code maxCodePoints} code points is cut at a code-point boundary (a surrogate pair
     * is never split) keeping its extension, the last "." with 1-10 ASCII letters or digits after
     * it: 300 code points "aaa…a.png" become 251 'a' and ".png". A name whose extension leaves no
     * room for one character before it is cut plainly. The caller applies the result everywhere:
     * the upload answer, the message and history show the same name.
     *
     * @throws IllegalArgumentException when {@code maxCodePoints} is below 1
     */
    public static String cleanDisplayName(String raw, int maxCodePoints) {
        if (maxCodePoints < 1) {
            throw new IllegalArgumentException("maxCodePoints must be at least 1");
        }
        String clean = replaceUnsafe(raw);
        int length = codePoints(clean);
        if (length <= maxCodePoints) {
            return clean;
        }
        int dot = extensionStart(clean);
        int extension = dot < 0 ? 0 : clean.length() - dot; // ASCII: chars == code points
        if (dot < 0 || extension >= maxCodePoints) {
            return clean.substring(0, clean.offsetByCodePoints(0, maxCodePoints));
        }
        int keep = clean.offsetByCodePoints(0, maxCodePoints - extension);
        return clean.substring(0, keep) + clean.substring(dot);
    }

    /** True for what {@link #cleanDisplayName} replaces (surrogates are handled by pairing, not here). */
    static boolean isUnsafeInName(int cp) {
        return Character.isISOControl(cp)
                || cp == 0x2028 || cp == 0x2029
                || cp == 0x200E || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x061C;
    }

    private static String replaceUnsafe(String raw) {
        StringBuilder out = null;
        int n = raw.length();
        for (int i = 0; i < n; ) {
            int cp = raw.codePointAt(i);
            int width = Character.charCount(cp);
            boolean unpaired = width == 1 && Character.isSurrogate((char) cp);
            boolean unsafe = unpaired || isUnsafeInName(cp);
            if (unsafe && out == null) {
                out = new StringBuilder(n).append(raw, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(REPLACEMENT);
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += width;
        }
        return out == null ? raw : out.toString();
    }

    /** Index of the '.' that starts the extension, or -1 when the name has none we keep. */
    private static int extensionStart(String s) {
        int dot = s.lastIndexOf('.');
        int length = s.length() - dot - 1;
        if (dot <= 0 || length < 1 || length > MAX_EXTENSION) {
            return -1;
        }
        for (int i = dot + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return -1;
            }
        }
        return dot;
    }
}
