package io.ghostrooms.server.common;

import io.ghostrooms.protocol.ErrorCode;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into the GhostRoomsException the wire reports. Unexpected ones are logged by
 * class and SQLState only: exception messages can quote SQL, tokens or message text.
 */
public final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    public static GhostRoomsException translate(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof GhostRoomsException g) {
            return g;
        }
        if (t instanceof RejectedExecutionException) {
            return new GhostRoomsException(ErrorCode.SERVER_BUSY);
        }
        if (isDatabaseUnavailable(t)) {
            log.warn("database unavailable ({})", describe(t));
            return new GhostRoomsException(ErrorCode.DATABASE_UNAVAILABLE);
        }
        log.error("unexpected failure ({})", describe(t));
        return new GhostRoomsException(ErrorCode.INTERNAL_ERROR);
    }

    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * True when the failure means no connection to the database could be used: connection errors
     * (SQLState class 08) and the server going away or not yet back (57P01 admin shutdown, as sent
     * by {@code pg_ctl stop -m fast|immediate}; 57P02 crash shutdown; 57P03 cannot connect now,
     * while it starts or recovers). Those must not be retried row by row nor reported as internal.
     */
    public static boolean isDatabaseUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof java.net.ConnectException
                    || c instanceof org.jdbi.v3.core.ConnectionException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** True for constraint violations (SQLState class 23), e.g. a row whose room was just deleted. */
    public static boolean isIntegrityViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** True when a unique constraint refused a row (SQLState 23505, PostgreSQL and H2 alike). */
    public static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** Class names and SQLStates of the cause chain: enough to diagnose, nothing private. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 5; c = c.getCause(), depth++) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                sb.append("[").append(sql.getSQLState()).append("]");
            }
            StackTraceElement[] trace = c.getStackTrace();
            if (depth == 0 && trace.length > 0) {
                sb.append(" at ").append(trace[0].getClassName()).append(':').append(trace[0].getLineNumber());
            }
        }
        return sb.toString();
    }
}
