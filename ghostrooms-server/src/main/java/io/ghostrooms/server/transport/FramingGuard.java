package io.ghostrooms.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Refuses a request whose message framing is ambiguous, before any route sees it (RFC 9112 §6.1,
 * §6.3, §11.2): a decoder failure (a bad or repeated Content-Length, an over-long line or header,
 * Content-Length with chunked, see {@link StrictHttpRequestDecoder}), Content-Length together with
 * Transfer-Encoding (HTTP/1.0 too, which Netty let through), Transfer-Encoding repeated or anything
 * but one {@code chunked} coding (we decode no other coding, and a last coding that is not chunked
 * leaves the length undeterminable), Transfer-Encoding in HTTP/1.0, or a Content-Length that is not
 * exactly one decimal number. Such a request gets the contract's 400 "Malformed request" with
 * {@code Connection: close}; everything the connection sends after it is discarded, never
 * processed, and the connection is closed.
 *
 * <p>Symptoms before (issue 23): a request with both headers, or with Transfer-Encoding twice, was
 * answered and the connection kept, so bytes hidden in its body were answered as a second request
 * (request smuggling behind a proxy that frames differently); a request with Content-Length
 * {@code abc}, {@code 2, 2}, {@code -1}, {@code +2}, {@code 0x2} or 20 digits got no answer at all
 * (the body-limit stages threw on the value, Netty's failed message never reached the REST handler).
 *
 * <p>A chunk that fails to decode ends its request the same way, with the 400 only if nothing was
 * answered to that request yet (a refusal such as 413 may already have been written): this stage
 * sits before the HTTP encoder, so every response passes it on its way out.
 *
 * <p>Sits after {@link PipelinedRequestGate}, so a refusal is answered in its request's turn. It
 * writes from the channel's tail so its answer passes the encoder; after the answer the output is
 * shut down (the client sees the end at once) and the channel closed when the client closes, or
 * after {@link #LINGER_SECONDS} (reading on meanwhile, so a client still sending gets to read the
 * answer instead of a reset). One instance per channel.
 */
public final class FramingGuard extends ChannelDuplexHandler {
    static final String MALFORMED = "{\"success\":false,\"error\":{\"message\":\"Malformed request\",\"code\":\"INVALID_REQUEST\"}}";
    static final long LINGER_SECONDS = 2;

    private boolean refused;
    /** Something was written since the current request arrived: its answer has begun. */
    private boolean answered;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            answered = false;
            if (!wellFramed(request)) {
                refuse(ctx, msg);
                return;
            }
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            refuse(ctx, msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        answered = true;
        ctx.write(msg, promise);
    }

    /** True when the request's body length is determined in exactly one way (RFC 9112 §6.3). */
    static boolean wellFramed(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return false;
        }
        HttpHeaders headers = request.headers();
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            return lengths.isEmpty() && codings.size() == 1
                    && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim())
                    && !HttpVersion.HTTP_1_0.equals(request.protocolVersion());
        }
        return lengths.isEmpty() || lengths.size() == 1 && isDecimal(lengths.get(0).trim());
    }

    /** One or more ASCII digits that fit a long: no sign, no hex, no list, no whitespace inside. */
    private static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg) {
        refused = true;
        ReferenceCountUtil.release(msg);
        ChannelFuture written = answered
                ? ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
                : ctx.channel().writeAndFlush(malformed());
        written.addListener(done -> lingerThenClose(ctx.channel()));
    }

    private static FullHttpResponse malformed() {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer(MALFORMED, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return res;
    }

    private static void lingerThenClose(Channel channel) {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        } else {
            channel.close();
        }
    }
}
