package io.ghostrooms.server.transport;

import io.ghostrooms.server.common.Failures;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline: a failure no handler before it dealt with (netty-socketio's transports
 * throw on malformed query parameters, websocket decoders on bad frames) closes its connection and
 * is logged by class only. Netty's own tail would log the whole stack trace at WARN, quoting client
 * input, and leave the request unanswered on an open connection.
 */
@Sharable
final class UnhandledFailureCloser extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger("io.ghostrooms.server.transport.Errors");

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("unhandled channel failure ({})", Failures.describe(cause));
        ctx.close();
    }
}
