package io.ghostrooms.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has sent nothing for a while: idle keep-alive REST connections and
 * stalled uploads would otherwise be held forever. Live sockets are never idle this long: websocket
 * clients answer the 25 s ping, and a polling GET is answered within the ping interval.
 */
final class IdleConnectionCloser extends IdleStateHandler {
    public IdleConnectionCloser(long idleSeconds) {
        super(idleSeconds, 0, 0, TimeUnit.SECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
