package io.ghostrooms.server.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ghostrooms.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Fixed-window counters per key (client IP, session) held in Caffeine, so memory stays bounded and
 * idle keys disappear on their own. Cheap enough for the send_message hot path.
 */
public final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Cache<String, Window> windows;

    private static final class Window {
        final long startedAt;
        final AtomicInteger count = new AtomicInteger();

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    public RateLimiter(int limit, Duration window) {
        this(limit, window, System::currentTimeMillis);
    }

    public RateLimiter(int limit, Duration window, LongSupplier clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.windows = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(1_000_000).build();
    }

    /** Counts one hit for the key; throws RATE_LIMIT_EXCEEDED with retryAfter when over the limit. */
    public void acquire(String key) {
        long now = clock.getAsLong();
        Window w = current(key, now);
        if (w.count.incrementAndGet() > limit) {
            throw exceeded(w, now);
        }
    }

    private GhostRoomsException exceeded(Window w, long now) {
        long retryAfter = Math.max(1, (w.startedAt + windowMillis - now + 999) / 1000);
        return new GhostRoomsException(ErrorCode.RATE_LIMIT_EXCEEDED, ErrorCode.RATE_LIMIT_EXCEEDED.defaultMessage(),
                retryAfter);
    }

    /**
     * Counts one hit for the key; false (and nothing thrown) when over the limit: for events whose
     * excess is dropped silently (typing).
     */
    public boolean tryAcquire(String key) {
        return current(key, clock.getAsLong()).count.incrementAndGet() <= limit;
    }

    /**
     * Throws RATE_LIMIT_EXCEEDED if the key has used up its budget in the current window, without
     * counting: for budgets that only failures spend (failed join_room attempts).
     */
    public void check(String key) {
        long now = clock.getAsLong();
        Window w = windows.getIfPresent(key);
        if (w != null && now - w.startedAt < windowMillis && w.count.get() >= limit) {
            throw exceeded(w, now);
        }
    }

    /** Counts one hit for the key without throwing, e.g. a failure that spends a budget. */
    public void count(String key) {
        current(key, clock.getAsLong()).count.incrementAndGet();
    }

    private Window current(String key, long now) {
        return windows.asMap().compute(key, (k, old) ->
                old == null || now - old.startedAt >= windowMillis ? new Window(now) : old);
    }

    public void forget(String key) {
        windows.invalidate(key);
    }
}
