package io.ghostrooms.protocol;

import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/** The wire's one timestamp format: ISO-8601 UTC with exactly three fraction digits. */
public final class Timestamps {
    /** {@code uuuu} (proleptic year) writes a sign past 9999 and before year 0, as ISO-8601 does, so parse reads it back. */
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * ISO-8601 extended date-time with an offset, read as widely as the standard writes it: years of
     * 4 digits or a signed expanded year ({@code +10000}, {@code -0001}, JavaScript's {@code +010000}),
     * seconds optional, a fraction of 1-9 digits after '.' or ',', and the offset as {@code Z},
     * {@code ±HH:MM[:SS]}, {@code ±HHMM[SS]} or {@code ±HH}. Case-insensitive ('t', 'z'). Strict:
     * no field out of range (February 30 is refused, not moved).
     */
    private static final DateTimeFormatter PARSE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendLiteral(',').appendFraction(NANO_OF_SECOND, 1, 9, false).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMMss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Parses any instant ISO-8601 can write ("…Z" or with an offset, any year an Instant holds, with
     * or without seconds and fraction, a leap second as its :59); throws DateTimeParseException for
     * anything else, including a date-time without an offset (it names no instant).
     */
    public static Instant parse(String text) {
        try {
            return PARSE.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            // ISO_INSTANT also takes what PARSE's fields cannot hold: a leap second (23:59:60, read as
            // 23:59:59) and the years of Instant beyond LocalDate's +-999,999,999.
            try {
                return DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from);
            } catch (DateTimeException ignored) {
                throw e;
            }
        }
    }
}
