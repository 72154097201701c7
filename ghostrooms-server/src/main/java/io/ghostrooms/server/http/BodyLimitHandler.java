package io.ghostrooms.server.http;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.GhostRoomsException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a REST body whose declared length passes MAX_HTTP_BODY_KB with the contract's 413
 * envelope before it is buffered, then closes the connection without reading the rest. One
 * instance per channel.
 */
public final class BodyLimitHandler extends ChannelInboundHandlerAdapter {
    private final long maxBytes;
    private final UploadHandler.Responder responder;
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    private boolean discarding;
    private long discarded;

    public BodyLimitHandler(long maxBytes, UploadHandler.Responder responder) {
        this.maxBytes = maxBytes;
        this.responder = responder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.uri().startsWith("/api/")
                && HttpUtil.getContentLength(request, -1L) > maxBytes) {
            discarding = true;
            ReferenceCountUtil.release(msg);
            GhostRoomsException e = new GhostRoomsException(ErrorCode.PAYLOAD_TOO_LARGE);
            responder.respond(ctx, request.headers().get(HttpHeaderNames.ORIGIN),
                    RestResponse.json(413, RestHandler.error(e)), true);
            return;
        }
        if (discarding && msg instanceof HttpContent content) {
            // Read a little more so the client gets to read the 413 instead of a reset; then close.
            discarded += content.content().readableBytes();
            boolean last = msg instanceof io.netty.handler.codec.http.LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last || discarded > DRAIN_LIMIT) {
                ctx.close();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
