package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard behind the real decoder (Netty's, subclassed) and before the real response encoder, as
 * in the server's pipeline: each ambiguous framing gets the one 400, the connection closes, and
 * the request, its body and whatever follows never reach the routes.
 */
class FramingGuardTest {
    private static final String MALFORMED_RESPONSE = "HTTP/1.1 400 Bad Request\r\n"
            + "content-type: application/json; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "content-length: 82\r\n"
            + "connection: close\r\n\r\n"
            + "{\"success\":false,\"error\":{\"message\":\"Malformed request\",\"code\":\"INVALID_REQUEST\"}}";
    /** Sent after each refused request: it must never be answered or routed. */
    private static final String HIDDEN = "GET /api/rooms/public HTTP/1.1\r\nHost: x\r\n\r\n";

    private final List<String> routed = new ArrayList<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // Content-Length and Transfer-Encoding (RFC 9112 §6.1): Netty dropped the Content-Length.
        "Content-Length: 4\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 0",
        // Transfer-Encoding repeated, or anything but one chunked coding last (§6.3 item 4, §7).
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked, chunked",
        "Transfer-Encoding: chunked, gzip",
        "Transfer-Encoding: gzip",
        "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: identity",
        "Transfer-Encoding: ",
        // A Content-Length that is not exactly one decimal number (§6.3 item 5, §8.6 of RFC 9110).
        "Content-Length: abc",
        "Content-Length: 2, 2",
        "Content-Length: 2\r\nContent-Length: 2",
        "Content-Length: 2\r\nContent-Length: 3",
        "Content-Length: 12345678901234567890",
        "Content-Length: 0x2",
        "Content-Length: -1",
        "Content-Length: +2",
        "Content-Length: ",
        "Content-Length: 2 2",
    })
    void ambiguousFramingIsRefusedAndNothingAfterItIsProcessed(String framing) {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(bytes("POST /api/rooms HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\n"
                + "0\r\n\r\n" + HIDDEN + HIDDEN));

        assertEquals(MALFORMED_RESPONSE, wire(channel));
        assertEquals(List.of(), routed);
        assertFalse(channel.isOpen(), "closed after the answer");
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Transfer-Encoding: chunked", "Content-Length: 5\r\nTransfer-Encoding: chunked"})
    void transferEncodingInHttp10IsFaultyFraming(String framing) {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(bytes("POST /api/rooms HTTP/1.0\r\n" + framing + "\r\n\r\n0\r\n\r\n" + HIDDEN));

        assertEquals(MALFORMED_RESPONSE, wire(channel));
        assertEquals(List.of(), routed);
        channel.finishAndReleaseAll();
    }

    @Test
    void nettysOwnDecoderFailuresGetTheSameAnswer() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(bytes("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n" + HIDDEN));

        assertEquals(MALFORMED_RESPONSE, wire(channel));
        assertEquals(List.of(), routed);
        channel.finishAndReleaseAll();
    }

    @Test
    void aBadChunkEndsTheRequestWithTheSameAnswer() {
        EmbeddedChannel channel = pipeline();

        channel.writeInbound(bytes("POST /api/rooms HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n\r\n" + HIDDEN));

        assertEquals(MALFORMED_RESPONSE, wire(channel));
        assertEquals(List.of(), routed);
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void aBadChunkAfterTheRequestWasAnsweredClosesWithoutASecondAnswer() {
        EmbeddedChannel channel = pipeline();
        // A stage that refuses as soon as the request starts (as the upload and body-limit stages do).
        channel.pipeline().addAfter("guard", "refuser", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                if (msg instanceof io.netty.handler.codec.http.HttpRequest) {
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN);
                    HttpUtil.setContentLength(res, 0);
                    ctx.channel().writeAndFlush(res);
                }
            }
        });

        channel.writeInbound(bytes("POST /api/files/upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n"));

        assertEquals("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n", wire(channel));
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Content-Length: 2", "Content-Length: 002", "Transfer-Encoding: chunked", "Transfer-Encoding: Chunked ", ""})
    void wellFramedRequestsPassUntouched(String framing) {
        EmbeddedChannel channel = pipeline();
        String body = framing.startsWith("Transfer") ? "2\r\n{}\r\n0\r\n\r\n" : framing.isEmpty() ? "" : "{}";

        channel.writeInbound(bytes("POST /api/rooms HTTP/1.1\r\nHost: x\r\n" + (framing.isEmpty() ? "" : framing + "\r\n")
                + "\r\n" + body + HIDDEN));

        assertEquals(List.of("POST /api/rooms " + (framing.isEmpty() ? "" : "{}"), "GET /api/rooms/public "), routed);
        assertEquals("", wire(channel));
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    /** decoder → guard → aggregator → encoder → a route that records what reaches it. */
    private EmbeddedChannel pipeline() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("decoder", new StrictHttpRequestDecoder(new HttpDecoderConfig()));
        channel.pipeline().addLast("guard", new FramingGuard());
        channel.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 20));
        channel.pipeline().addLast("encoder", new HttpResponseEncoder());
        channel.pipeline().addLast("route", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest request) {
                    routed.add(request.method() + " " + request.uri() + " " + request.content().toString(StandardCharsets.UTF_8));
                }
                io.netty.util.ReferenceCountUtil.release(msg);
            }

            /** As the server's last stage does: the aggregator reports the request cut short when the channel closes. */
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
        return channel;
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Everything written to the socket so far. */
    static String wire(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }
}
