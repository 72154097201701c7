package io.ghostrooms.server.transport;

import static io.ghostrooms.server.transport.FramingGuardTest.bytes;
import static io.ghostrooms.server.transport.FramingGuardTest.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate in the server's order (decoder → gate → guard → aggregator → encoder → response watcher
 * → the routes), with routes that answer when the test says so, as the REST workers do.
 */
class PipelinedRequestGateTest {
    private static final String GET_HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String GET_PUBLIC = "GET /api/rooms/public HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String POST_ROOM = "POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";

    /** Requests that reached the routes, not answered yet. */
    private final List<Object> routed = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private EmbeddedChannel channel;

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrderWhenTheFirstIsSlowest() {
        channel = pipeline();

        channel.writeInbound(bytes(POST_ROOM + GET_HEALTH + GET_PUBLIC));

        assertEquals(List.of("POST /api/rooms"), seen, "the second request waits for the first answer");
        assertFalse(channel.config().isAutoRead(), "no reading while requests are held");
        assertTrue(channel.outboundMessages().isEmpty());
        answer(0, "room");
        assertEquals(List.of("POST /api/rooms", "GET /health"), seen);
        answer(1, "health");
        answer(2, "public");
        assertEquals(response(200, "room") + response(200, "health") + response(200, "public"), wire(channel));
        assertTrue(channel.config().isAutoRead());
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestIsHeldUntilTheAnswerBeforeItIsFlushedNotJustWritten() {
        channel = pipeline();
        channel.writeInbound(bytes(GET_HEALTH + GET_PUBLIC));

        routedRequest(0).release();
        channel.write(full(200, "health", true));
        channel.runPendingTasks();
        assertEquals(List.of("GET /health"), seen);
        channel.flush();
        channel.runPendingTasks();
        assertEquals(List.of("GET /health", "GET /api/rooms/public"), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void headIsAnsweredAsGetWithoutBodyAndTheNextRequestFollowsOnTheConnection() {
        channel = pipeline();

        channel.writeInbound(bytes("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + GET_HEALTH));

        assertEquals(List.of("GET /health"), seen, "routed as a GET");
        answer(0, "{\"status\":\"ok\"}");
        answer(1, "{\"status\":\"ok\"}");
        String headers = "HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n";
        assertEquals(headers + headers + "{\"status\":\"ok\"}", wire(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void aHeadAnswerInPartsLosesItsBodyAndChunking() {
        channel = pipeline();
        channel.writeInbound(bytes("HEAD /api/files/a.png HTTP/1.1\r\n\r\n" + GET_HEALTH));

        routedRequest(0).release();
        HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setTransferEncodingChunked(start, true);
        channel.write(start);
        channel.write(new DefaultHttpContent(Unpooled.copiedBuffer("0{\"sid\"}", StandardCharsets.US_ASCII)));
        channel.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII)));
        channel.runPendingTasks();
        answer(1, "ok");

        assertEquals("HTTP/1.1 200 OK\r\n\r\n" + response(200, "ok"), wire(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void nothingIsProcessedAfterARefusalEvenWhenItWaitedForAnEarlierAnswer() {
        channel = pipeline();

        channel.writeInbound(bytes(GET_HEALTH + "POST /api/rooms HTTP/1.1\r\nContent-Length: abc\r\n\r\n{}" + GET_PUBLIC));
        answer(0, "health");

        assertEquals(response(200, "health") + malformed(), wire(channel), "the refusal in its turn");
        assertEquals(List.of("GET /health"), seen);
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void aSmugglingAttemptBehindAnotherRequestGetsOneRefusalAndTheHiddenRequestIsNeverSeen() {
        channel = pipeline();

        channel.writeInbound(bytes(GET_HEALTH + "POST /api/rooms HTTP/1.1\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + GET_PUBLIC));
        answer(0, "health");

        assertEquals(response(200, "health") + malformed(), wire(channel));
        assertEquals(List.of("GET /health"), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void afterAnAnswerWithConnectionCloseLaterRequestsAreDropped() {
        channel = pipeline();
        channel.writeInbound(bytes(POST_ROOM + GET_HEALTH));

        routedRequest(0).release();
        FullHttpResponse tooLarge = full(413, "too large", true);
        tooLarge.headers().set(HttpHeaderNames.CONNECTION, "close");
        channel.writeAndFlush(tooLarge);
        channel.runPendingTasks();
        channel.writeInbound(bytes(GET_PUBLIC));

        assertEquals(List.of("POST /api/rooms"), seen);
        assertTrue(channel.config().isAutoRead(), "reads on, so the refused body can be drained");
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestAskingForCloseIsTheLastOneProcessed() {
        channel = pipeline();
        channel.writeInbound(bytes("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n" + GET_PUBLIC));

        answer(0, "health");

        assertEquals(List.of("GET /health"), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void anAnswerTheRouteClosesAfterLeavesTheHeldRequestUnprocessedAndReleased() {
        channel = pipeline(false);
        DefaultHttpRequest poll = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/socket.io/?EIO=4&transport=polling");
        channel.writeInbound(poll, LastHttpContent.EMPTY_LAST_CONTENT);
        DefaultHttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/rooms");
        ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII);
        channel.writeInbound(post, new DefaultLastHttpContent(body));

        // As netty-socketio answers a poll: keep-alive headers, the parts, then a close. On a real
        // event loop the close listener runs before the gate's task (queued by its own listener);
        // the embedded channel runs queued tasks within the flush, so the close goes first here.
        HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setKeepAlive(start, true);
        HttpUtil.setContentLength(start, 2);
        channel.write(start);
        channel.write(new DefaultHttpContent(Unpooled.copiedBuffer("6", StandardCharsets.US_ASCII)));
        io.netty.channel.ChannelPromise closeAfter = channel.newPromise();
        closeAfter.addListener(ChannelFutureListener.CLOSE);
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, closeAfter);
        channel.runPendingTasks();

        assertEquals(List.of("GET /socket.io/?EIO=4&transport=polling"), seen);
        assertEquals(0, body.refCnt(), "the held body is released");
        channel.finishAndReleaseAll();
    }

    @Test
    void aSocketIoRequestIsTheLastOfItsConnectionEvenWhenItsCloseComesLate() {
        channel = pipeline(false);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/socket.io/?EIO=4&transport=polling&sid=x"),
                new DefaultLastHttpContent(Unpooled.copiedBuffer("40", StandardCharsets.US_ASCII)));
        ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/rooms"), new DefaultLastHttpContent(body));

        // The "ok" with keep-alive headers, and the close only added once the write is done (as
        // from another thread: the gate's own task may run before it).
        HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setKeepAlive(ok, true);
        HttpUtil.setContentLength(ok, 2);
        channel.write(ok);
        channel.write(new DefaultHttpContent(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII)));
        io.netty.channel.ChannelFuture written = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.runPendingTasks();
        written.addListener(ChannelFutureListener.CLOSE);

        assertEquals(List.of("POST /socket.io/?EIO=4&transport=polling&sid=x"), seen);
        assertEquals(0, body.refCnt());
        channel.finishAndReleaseAll();
    }

    @Test
    void closingTheChannelReleasesWhatIsHeld() {
        channel = pipeline(false);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health"), LastHttpContent.EMPTY_LAST_CONTENT);
        ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/rooms"), new DefaultLastHttpContent(body));
        assertEquals(1, body.refCnt());

        channel.close();

        assertEquals(0, body.refCnt());
        channel.finishAndReleaseAll();
    }

    @Test
    void afterTheWebsocket101TheGateStepsAside() {
        channel = pipeline(false);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/socket.io/?EIO=4&transport=websocket"));

        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers().set(HttpHeaderNames.UPGRADE, "websocket").set(HttpHeaderNames.CONNECTION, "Upgrade");
        channel.writeAndFlush(switching);
        channel.runPendingTasks();
        channel.writeInbound(new TextWebSocketFrame("40"), new TextWebSocketFrame("42[\"x\"]"));

        assertEquals(List.of("GET /socket.io/?EIO=4&transport=websocket", "frame 40", "frame 42[\"x\"]"), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void websocketFramesBeforeThe101IsFlushedAreNotHeld() {
        channel = pipeline(false);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/socket.io/?EIO=4&transport=websocket"));
        channel.writeInbound(new TextWebSocketFrame("2probe"));

        assertEquals(List.of("GET /socket.io/?EIO=4&transport=websocket", "frame 2probe"), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientPipeliningTooManyGetsTheHeldOnesAnsweredThenTheConnectionCloses() {
        channel = pipeline();
        int sent = PipelinedRequestGate.MAX_HELD_REQUESTS + 5;

        channel.writeInbound(bytes(GET_HEALTH.repeat(sent)));
        for (int i = 0; i <= PipelinedRequestGate.MAX_HELD_REQUESTS; i++) {
            assertTrue(channel.isOpen());
            answer(i, "h" + i);
        }

        assertEquals(PipelinedRequestGate.MAX_HELD_REQUESTS + 1, seen.size(), "the one in flight and the held ones");
        assertFalse(channel.isOpen(), "closed once they are answered");
        channel.finishAndReleaseAll();
    }

    @Test
    void anInlineAnswerDuringTheReadLetsTheNextRequestThrough() {
        channel = pipeline();
        // Answered from within its read, as the CORS preflight is.
        channel.pipeline().addBefore("routes", "preflight", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest request && request.method().equals(HttpMethod.OPTIONS)) {
                    request.release();
                    ctx.channel().writeAndFlush(full(204, "", true));
                    return;
                }
                ctx.fireChannelRead(msg);
            }
        });

        channel.writeInbound(bytes("OPTIONS /api/rooms HTTP/1.1\r\n\r\n" + GET_HEALTH));
        answer(0, "health");

        assertEquals("HTTP/1.1 204 No Content\r\n\r\n" + response(200, "health"), wire(channel));
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel pipeline() {
        return pipeline(true);
    }

    /** With {@code fromBytes}, the server's decoder, guard and aggregator; without, HTTP objects straight into the gate. */
    private EmbeddedChannel pipeline(boolean fromBytes) {
        EmbeddedChannel ch = new EmbeddedChannel();
        PipelinedRequestGate gate = new PipelinedRequestGate("/socket.io");
        if (fromBytes) {
            ch.pipeline().addLast("decoder", new StrictHttpRequestDecoder(new HttpDecoderConfig()));
        }
        ch.pipeline().addLast("gate", gate);
        if (fromBytes) {
            ch.pipeline().addLast("guard", new FramingGuard());
            ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 20));
            ch.pipeline().addLast("encoder", new HttpResponseEncoder());
        }
        ch.pipeline().addLast("responses", gate.responses());
        ch.pipeline().addLast("routes", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof io.netty.handler.codec.http.HttpRequest request) {
                    seen.add(request.method() + " " + request.uri());
                    routed.add(msg);
                } else if (msg instanceof TextWebSocketFrame frame) {
                    seen.add("frame " + frame.text());
                    frame.release();
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        });
        return ch;
    }

    private FullHttpRequest routedRequest(int index) {
        return (FullHttpRequest) routed.get(index);
    }

    /** The route answers the request that reached it index-th. */
    private void answer(int index, String body) {
        ReferenceCountUtil.release(routed.get(index));
        channel.writeAndFlush(full(200, body, true));
        channel.runPendingTasks();
    }

    private static FullHttpResponse full(int status, String body, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        HttpUtil.setContentLength(res, res.content().readableBytes());
        return res;
    }

    private static String response(int status, String body) {
        return "HTTP/1.1 " + HttpResponseStatus.valueOf(status) + "\r\ncontent-length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String malformed() {
        return "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
                + "content-length: 82\r\nconnection: close\r\n\r\n" + FramingGuard.MALFORMED;
    }
}
