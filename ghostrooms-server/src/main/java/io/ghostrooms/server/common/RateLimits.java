package io.ghostrooms.server.common;

import io.ghostrooms.server.config.Config;
import java.time.Duration;

/**
 * Every rate limiter of the server, built once from the configuration. One instance per limit, so
 * that what the contract calls one budget is one counter whatever the transport: REST lookups, REST
 * joins (so every wrong room password), failed join_room attempts and failed owner checks of the
 * room controls share {@link #lookups}.
 */
public record RateLimits(RateLimiter roomCreations, RateLimiter lookups, RateLimiter uploads, RateLimiter messages,
                         RateLimiter socketEvents, RateLimiter typing) {
    /** typing relays per socket per second (PROTOCOL "Room controls"); the excess is dropped silently. */
    public static final int TYPING_PER_SECOND = 2;

    public static RateLimits from(Config config) {
        return new RateLimits(
                new RateLimiter(config.rateLimitRoomCreatePerHour(), Duration.ofHours(1)),
                new RateLimiter(config.rateLimitLookupsPerMinute(), Duration.ofMinutes(1)),
                new RateLimiter(config.rateLimitUploadsPerHour(), Duration.ofHours(1)),
                new RateLimiter(config.rateLimitMessagesPerMinute(), Duration.ofMinutes(1)),
                new RateLimiter(config.rateLimitSocketEventsPerMinute(), Duration.ofMinutes(1)),
                new RateLimiter(TYPING_PER_SECOND, Duration.ofSeconds(1)));
    }
}
