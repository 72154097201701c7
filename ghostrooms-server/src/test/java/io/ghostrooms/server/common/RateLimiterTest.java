package io.ghostrooms.server.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), now::get);

    @Test
    void allowsUpToTheLimitPerWindow() {
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limiter.acquire("ip"));
        }
        GhostRoomsException e = assertThrows(GhostRoomsException.class, () -> limiter.acquire("ip"));
        assertEquals(ErrorCode.RATE_LIMIT_EXCEEDED, e.code());
    }

    @Test
    void retryAfterCountsDownToTheWindowsEnd() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("ip");
        }
        now.addAndGet(45_000);
        GhostRoomsException e = assertThrows(GhostRoomsException.class, () -> limiter.acquire("ip"));
        assertEquals(15, e.retryAfterSeconds());
    }

    @Test
    void aNewWindowStartsAfterTheOldOneEnds() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("ip");
        }
        now.addAndGet(60_000);
        assertDoesNotThrow(() -> limiter.acquire("ip"));
    }

    @Test
    void keysAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertDoesNotThrow(() -> limiter.acquire("b"));
    }

    @Test
    void tryAcquireAnswersFalseOverTheLimitWithoutThrowingUntilTheWindowEnds() {
        long[] now = {1_000};
        RateLimiter limiter = new RateLimiter(2, java.time.Duration.ofSeconds(1), () -> now[0]);
        assertTrue(limiter.tryAcquire("socket"));
        assertTrue(limiter.tryAcquire("socket"));
        assertFalse(limiter.tryAcquire("socket"));
        assertFalse(limiter.tryAcquire("socket"));
        assertTrue(limiter.tryAcquire("other"), "per key");
        now[0] += 1_000;
        assertTrue(limiter.tryAcquire("socket"));
    }
}
