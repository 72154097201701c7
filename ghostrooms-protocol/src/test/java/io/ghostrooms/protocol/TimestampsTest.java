package io.ghostrooms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void formatWritesUtcWithThreeFractionDigits() {
        assertEquals("2026-11-25T10:00:00.000Z", Timestamps.format(Instant.parse("2026-11-25T10:00:00Z")));
    }

    @Test
    void formatKeepsMillisecondsExactly() {
        assertEquals("2026-11-25T10:00:00.120Z", Timestamps.format(Instant.parse("2026-11-25T10:00:00.12Z")));
    }

    @Test
    void formatTruncatesSubMillisecondPrecision() {
        assertEquals("2026-11-25T10:00:00.123Z",
                Timestamps.format(Instant.parse("2026-11-25T10:00:00.123999999Z")));
    }

    @Test
    void formatOfNullIsNull() {
        assertNull(Timestamps.format(null));
    }

    @Test
    void parseAcceptsZuluTimestamps() {
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), Timestamps.parse("2026-11-25T10:00:00.000Z"));
    }

    @Test
    void parseAcceptsPositiveOffsets() {
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), Timestamps.parse("2026-11-25T12:00:00.000+02:00"));
    }

    @Test
    void parseAcceptsNegativeOffsetsWithoutFraction() {
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), Timestamps.parse("2026-11-25T05:00:00-05:00"));
    }

    @Test
    void parseRoundTripsFormat() {
        Instant instant = Instant.parse("2026-01-02T03:04:05.678Z");
        assertEquals(instant, Timestamps.parse(Timestamps.format(instant)));
    }

    @Test
    void parseRejectsGarbage() {
        assertThrows(DateTimeParseException.class, () -> Timestamps.parse("yesterday"));
    }

    @Test
    void parseRejectsTimestampsWithoutZone() {
        assertThrows(DateTimeParseException.class, () -> Timestamps.parse("2026-11-25T10:00:00.000"));
    }

    // History cursors: any instant ISO-8601 can write (PROTOCOL "Input rules").

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // years past 9999 need a sign; JavaScript's Date.toISOString() writes six digits
            "+10000-01-01T00:00:00Z,          +10000-01-01T00:00:00Z",
            "+010000-01-01T00:00:00.000Z,     +10000-01-01T00:00:00Z",
            "+275760-09-13T00:00:00.000Z,     +275760-09-13T00:00:00Z",
            "+999999999-12-31T23:59:59Z,      +999999999-12-31T23:59:59Z",
            // year 0 and negative years (proleptic ISO years: -0001 is 2 BC)
            "0000-01-01T00:00:00Z,            0000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z,           -0001-01-01T00:00:00Z",
            "-000001-01-01T00:00:00.000Z,     -0001-01-01T00:00:00Z",
            "-271821-04-20T00:00:00.000Z,     -271821-04-20T00:00:00Z",
            "-10000-01-01T00:00:00Z,          -10000-01-01T00:00:00Z",
            // offsets in every ISO form
            "2026-11-25T10:00:00+02:00,       2026-11-25T08:00:00Z",
            "2026-11-25T10:00:00-05:30,       2026-11-25T15:30:00Z",
            "2026-11-25T10:00:00+0200,        2026-11-25T08:00:00Z",
            "2026-11-25T10:00:00+02,          2026-11-25T08:00:00Z",
            "2026-11-25T10:00:00+02:00:30,    2026-11-25T07:59:30Z",
            "2026-11-25T00:30:00+01:00,       2026-11-24T23:30:00Z",
            "+10000-01-01T01:00:00+02:00,     9999-12-31T23:00:00Z",
            // with and without fraction, of any length, after '.' or ','
            "2026-11-25T10:00:00Z,            2026-11-25T10:00:00Z",
            "2026-11-25T10:00:00.5Z,          2026-11-25T10:00:00.500Z",
            "2026-11-25T10:00:00.123456789Z,  2026-11-25T10:00:00.123456789Z",
            "'2026-11-25T10:00:00,25Z',       2026-11-25T10:00:00.250Z",
            // seconds may be left out; letters in any case
            "2026-11-25T10:00Z,               2026-11-25T10:00:00Z",
            "2026-11-25t10:00:00z,            2026-11-25T10:00:00Z",
            // a leap second is read as the second before it; Instant's own extremes
            "2026-12-31T23:59:60Z,            2026-12-31T23:59:59Z",
            "+1000000000-12-31T23:59:59.999999999Z, +1000000000-12-31T23:59:59.999999999Z",
            "-1000000000-01-01T00:00:00Z,     -1000000000-01-01T00:00:00Z",
    })
    void parseAcceptsEveryInstantIso8601CanWrite(String text, String expected) {
        assertEquals(Instant.parse(expected), Timestamps.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "10000-01-01T00:00:00Z",          // more than four digits without a sign
            "2026-02-30T10:00:00Z",           // no such day: refused, not moved
            "2026-13-01T10:00:00Z",
            "2026-11-25T25:00:00Z",
            "2026-11-25T10:00:00.1234567890Z", // ten fraction digits
            "2026-11-25T10:00:00+19:00",      // offsets stop at 18 hours
            "2026-11-25 10:00:00Z",
            "2026-11-25",
            "2026-11-25T10:00:00Z trailing",
            "+1000000001-01-01T00:00:00Z",    // beyond Instant
            "1764064800000",
    })
    void parseRefusesWhatIsNoIso8601Instant(String text) {
        assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text));
    }

    @Test
    void parseOfNullThrowsNullPointerException() {
        assertThrows(NullPointerException.class, () -> Timestamps.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-06-15T12:00:00Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z"})
    void formatWritesSignedYearsThatParseReadsBack(String iso) {
        Instant instant = Instant.parse(iso);
        assertEquals(instant, Timestamps.parse(Timestamps.format(instant)));
    }

    @Test
    void formatWritesAYearPast9999WithItsSign() {
        assertEquals("+10000-01-01T00:00:00.000Z", Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
