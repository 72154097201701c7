package io.ghostrooms.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.protocol.rest.Readiness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregation behind GET /health/ready, with a second check standing for the future Redis one. */
class ReadinessChecksTest {
    @Test
    void readyOnlyWhenEveryCheckIsUpAndNamesKeepTheirOrder() {
        Readiness both = new ReadinessChecks(List.of(new ReadinessChecks.Check("database", () -> true),
                new ReadinessChecks.Check("redis", () -> true))).run();
        assertTrue(both.ready());
        assertEquals(List.of("database", "redis"), List.copyOf(both.checks().keySet()));

        Readiness one = new ReadinessChecks(List.of(new ReadinessChecks.Check("database", () -> true),
                new ReadinessChecks.Check("redis", () -> false))).run();
        assertFalse(one.ready());
        assertEquals(new Readiness("not_ready", Map.of("database", "up", "redis", "down")), one);
    }

    @Test
    void aCheckThatThrowsIsDown() {
        Readiness r = new ReadinessChecks(List.of(new ReadinessChecks.Check("database", () -> {
            throw new IllegalStateException("pool closed");
        }))).run();
        assertEquals(new Readiness("not_ready", Map.of("database", "down")), r);
    }
}
