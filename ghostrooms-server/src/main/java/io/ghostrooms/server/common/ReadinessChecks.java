package io.ghostrooms.server.common;

import io.ghostrooms.protocol.rest.Readiness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What GET /health/ready asks: a list of named checks of the services this node needs to serve
 * (the database today; Redis joins the list where it is wired, when REDIS_URL is set). Ready when
 * every check answers true. A check bounds its own time (the database's is bounded by the pool's
 * connection and validation timeouts, about 4 s) and one that throws counts as down. Checks run
 * one after the other, in the order given, on the caller's thread (a worker, never an event loop).
 */
public final class ReadinessChecks {
    /** One dependency: a short stable name for the answer and a probe that says whether it answers. */
    public record Check(String name, BooleanSupplier up) {
    }

    private final List<Check> checks;

    public ReadinessChecks(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public Readiness run() {
        Map<String, String> results = new LinkedHashMap<>();
        boolean all = true;
        for (Check check : checks) {
            boolean up;
            try {
                up = check.up().getAsBoolean();
            } catch (RuntimeException e) {
                up = false;
            }
            results.put(check.name(), up ? Readiness.UP : Readiness.DOWN);
            all &= up;
        }
        return new Readiness(all ? Readiness.READY : Readiness.NOT_READY, results);
    }
}
