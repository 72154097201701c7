package io.ghostrooms.server.transport;

import io.netty.channel.ChannelHandlerContext;

/**
 * Tells netty-socketio that a connection's first request has arrived although an HTTP stage before
 * it consumed that request.
 *
 * <p>netty-socketio 2.0.14 closes every connection whose first complete request has not reached its
 * AuthorizeHandler within the first-data timeout (10 s, our slowloris bound). REST requests and
 * uploads are answered before that handler, so a busy keep-alive REST connection was cut 10 s after
 * it opened, failing the request in flight (bench/faults: /health polled during a database outage),
 * and an upload slower than 10 s was cut mid-body. The handler cancels its timer on any inbound
 * message, so this passes a marker down the pipeline (dropped at its tail).
 */
public final class RequestSeen {
    private static final Object MARKER = new Object() {
        @Override
        public String toString() {
            return "request seen by an HTTP stage";
        }
    };

    private RequestSeen() {
    }

    /** Call from an HTTP stage that answers a request itself, before answering. */
    public static void tell(ChannelHandlerContext ctx) {
        ctx.fireChannelRead(MARKER);
    }
}
