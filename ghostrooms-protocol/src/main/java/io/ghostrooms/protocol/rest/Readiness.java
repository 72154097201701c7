package io.ghostrooms.protocol.rest;

import java.util.Map;

/**
 * GET /health/ready answer (ours): {@code status} is {@value #READY} (HTTP 200) when every check is
 * {@value #UP}, else {@value #NOT_READY} (HTTP 503); {@code checks} maps each check's name
 * ({@code database}, later {@code redis}) to {@value #UP} or {@value #DOWN}, in a fixed order.
 */
public record Readiness(String status, Map<String, String> checks) {
    public static final String READY = "ready";
    public static final String NOT_READY = "not_ready";
    public static final String UP = "up";
    public static final String DOWN = "down";

    public boolean ready() {
        return READY.equals(status);
    }
}
