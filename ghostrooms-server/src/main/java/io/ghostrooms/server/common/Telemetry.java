package io.ghostrooms.server.common;

import io.ghostrooms.protocol.ErrorCode;

/**
 * What the server counts and times for its operators, told by the code where it happens; the
 * metrics package turns it into Prometheus meters. Every method is called on hot paths (event
 * loops, the message writer), so implementations are lock-free and allocate nothing per call.
 */
public interface Telemetry {
    /** For tests and tools that do not count. */
    Telemetry NONE = new Telemetry() {
    };

    /** A Socket.IO event of a known name arrived. */
    default void eventReceived(String event) {
    }

    /** An error answer went out (socket error event, ack, or REST error envelope). */
    default void error(ErrorCode code) {
    }

    /** One transaction of the message writer committed {@code messages} messages in {@code nanos}. */
    default void batchCommitted(int messages, long nanos) {
    }

    /** Events were handed to {@code recipients} connections (a broadcast, or one per-socket send). */
    default void delivered(int recipients) {
    }

    /** A broadcast's frames were written to its websocket recipients on one event loop, {@code nanos} after it began. */
    default void fannedOut(long nanos) {
    }

    /** A connection was ended because it stopped reading. */
    default void slowReaderClosed() {
    }
}
