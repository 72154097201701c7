package io.ghostrooms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

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
}
