package io.ghostrooms.server.common;

import java.util.regex.Pattern;

/**
 * The one rule for people's names: room nicknames and the global usernames of set_username alike,
 * so a name accepted in the lobby can join any room. 2-20 code points of letters and marks of any
 * script, decimal digits, space, '.', '_' and '-' (after trimming). That excludes every control and
 * format character (bidi overrides that would reorder a member list, zero-width joiners), unpaired
 * surrogates and U+0000.
 */
public final class Names {
    public static final int MIN = 2;
    public static final int MAX = 20;
    private static final Pattern CHARACTERS = Pattern.compile("[\\p{L}\\p{M}\\p{Nd} ._-]+");

    private Names() {
    }

    /** Whether every character of the (trimmed) name is allowed. */
    public static boolean allowedCharacters(String name) {
        return CHARACTERS.matcher(name).matches();
    }

    /** Length as the rule counts it: code points, not UTF-16 units. */
    public static int length(String name) {
        return Text.codePoints(name);
    }

    /**
     * The case-insensitive key names are unique by ({@link Text#fold}): it never throws, folds what
     * lower-casing alone keeps apart (ß and SS, final and medial sigma), and may be longer than the
     * name; the length rule applies to the name as given.
     */
    public static String key(String name) {
        return Text.fold(name);
    }
}
