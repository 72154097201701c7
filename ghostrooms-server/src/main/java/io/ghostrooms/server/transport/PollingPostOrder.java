package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.messages.XHRPostMessage;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * Keeps a long-polling client's events in the order it sent them.
 *
 * <p>netty-socketio answers a polling POST with "ok" before it decodes the body. The client sends
 * its next POST as soon as it reads the "ok", on a new connection that may be served by the other
 * event loop, which could then hand that POST's events to the socket's queue before this loop had
 * handed over the first POST's (seen: a polling sender's p6, p7 stored before its p4, p5). The
 * answer is written from within the POST's read, right before the body is decoded and its events
 * queued; it is held until the end of this loop's task queue, so the read finishes first.
 *
 * <p>A body that fails to decode closes its connection during the read; the held "ok" is written
 * before that close, as netty-socketio did (the contract: bad polling packets are dropped and the
 * session goes on). So this handler must see the close: it sits before the pipeline's last handler,
 * and closes for failures go through the channel.
 */
@Sharable
final class PollingPostOrder extends ChannelOutboundHandlerAdapter {
    private static final AttributeKey<HeldAnswer> HELD = AttributeKey.valueOf("ghostroomsHeldPostAnswer");

    private record HeldAnswer(XHRPostMessage message, ChannelPromise promise) {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof XHRPostMessage answer && ctx.executor().inEventLoop()) {
            Attribute<HeldAnswer> held = ctx.channel().attr(HELD);
            held.set(new HeldAnswer(answer, promise));
            ctx.executor().execute(() -> release(ctx, held));
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        release(ctx, ctx.channel().attr(HELD));
        ctx.close(promise);
    }

    private static void release(ChannelHandlerContext ctx, Attribute<HeldAnswer> held) {
        HeldAnswer answer = held.getAndSet(null);
        if (answer != null) {
            ctx.writeAndFlush(answer.message(), answer.promise());
        }
    }
}
