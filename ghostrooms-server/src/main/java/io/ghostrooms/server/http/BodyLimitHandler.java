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
 * Refuses a REST body whose declared length passes MAX_HTTP_BODY_KB, or a Socket.IO polling body
 * whose declared length passes the polling limit, with the contract's 413 envelope before it is
 * buffered, then closes the connection without reading the rest. (Netty's aggregator would refuse
 * the polling body too, but its 413 never reaches the wire: it is written before the HTTP encoder.)
 * One instance per channel.
 */
public final class BodyLimitHandler extends ChannelInboundHandlerAdapter {
    private final long maxBytes;
    private final String socketPath;
    private final long socketMaxBytes;
    private final UploadHandler.Responder responder;
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    private boolean discarding;
    private long discarded;

    public BodyLimitHandler(long maxBytes, String socketPath, long socketMaxBytes, UploadHandler.Responder responder) {
        this.maxBytes = maxBytes;
        this.socketPath = socketPath;
        this.socketMaxBytes = socketMaxBytes;
        this.responder = responder;
    }

    private long limitOf(String uri) {
        if (uri.startsWith("/api/")) {
            return maxBytes;
        }
        return uri.startsWith(socketPath) ? socketMaxBytes : Long.MAX_VALUE;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && HttpUtil.getContentLength(request, -1L) > limitOf(request.uri())) {
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
