package io.ghostrooms.server.socket;

import com.corundumstudio.socketio.messages.XHRPostMessage;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Keeps a long-polling client's events in the order it sent them.
 *
 * <p>netty-socketio answers a polling POST with "ok" before it decodes the body. The client sends
 * its next POST as soon as it reads the "ok", on a new connection that may be served by the other
 * event loop, which could then hand that POST's events to the socket's queue before this loop had
 * handed over the first POST's (seen: a polling sender's p6, p7 stored before its p4, p5). The
 * answer is written from within the POST's read, right before the body is decoded and its events
 * queued; putting the write at the end of this loop's task queue lets the read finish first.
 */
@Sharable
public final class PollingPostOrder extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof XHRPostMessage && ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> ctx.writeAndFlush(msg, promise));
            return;
        }
        ctx.write(msg, promise);
    }
}
