package io.ghostrooms.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.rest.ApiError;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.common.Telemetry;
import io.ghostrooms.server.transport.RequestSeen;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sits in netty-socketio's pipeline before its packet handler: answers /api/* and /health (on the
 * worker pool, never on the event loop), refuses Socket.IO requests from origins CORS does not
 * allow, and passes everything else on untouched.
 */
@ChannelHandler.Sharable
public final class RestHandler extends ChannelInboundHandlerAdapter implements UploadHandler.Responder {
    private final RestApi api;
    private final Cors cors;
    private final ObjectMapper json;
    private final Executor workers;
    private final String socketPath;
    private final Telemetry telemetry;
    public RestHandler(RestApi api, Cors cors, ObjectMapper json, Executor workers, String socketPath,
                       Telemetry telemetry) {
        this.telemetry = telemetry;
        this.api = api;
        this.cors = cors;
        this.json = json;
        this.workers = workers;
        this.socketPath = socketPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String uri = request.uri();
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (uri.startsWith(socketPath)) {
            if (!cors.allows(origin)) {
                request.release();
                write(ctx, false, origin, RestResponse.json(403, error(new GhostRoomsException(ErrorCode.FORBIDDEN, "Origin not allowed"))));
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        RequestSeen.tell(ctx);
        try {
            if (!cors.allows(origin)) {
                throw new GhostRoomsException(ErrorCode.FORBIDDEN, "Origin not allowed");
            }
            if (request.method() == HttpMethod.OPTIONS) {
                FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
                cors.addHeaders(origin, preflight.headers());
                cors.addPreflightHeaders(preflight.headers());
                send(ctx, keepAlive, preflight);
                return;
            }
            RestRequest restRequest = toRestRequest(ctx, request);
            workers.execute(() -> write(ctx, keepAlive, origin, answer(restRequest)));
        } catch (GhostRoomsException e) {
            write(ctx, keepAlive, origin, RestResponse.json(e.code().httpStatus(), error(e)));
        } catch (RejectedExecutionException e) {
            write(ctx, false, origin, RestResponse.json(503, error(new GhostRoomsException(ErrorCode.SERVER_BUSY))));
        } finally {
            request.release();
        }
    }

    /**
     * Used by the handlers that refuse a body early: with {@code close}, the response says
     * "Connection: close" but the channel stays open, so the caller can drain a little of the body
     * and close it once the client had the chance to read the answer.
     */
    @Override
    public void respond(ChannelHandlerContext ctx, String origin, RestResponse response, boolean close) {
        if (close) {
            write(ctx, true, origin, response, true);
            // A client that stops sending is not waited for.
            ctx.channel().eventLoop().schedule(() -> ctx.channel().close(), 2, java.util.concurrent.TimeUnit.SECONDS);
        } else {
            write(ctx, true, origin, response);
        }
    }

    private RestResponse answer(RestRequest request) {
        try {
            return api.handle(request);
        } catch (Throwable t) {
            GhostRoomsException e = Failures.translate(t);
            return RestResponse.json(e.code().httpStatus(), error(e));
        }
    }

    static ApiError error(GhostRoomsException e) {
        return ApiError.of(e.getMessage(), e.code().name(), e.retryAfterSeconds());
    }

    private static RestRequest toRestRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        QueryStringDecoder decoder;
        List<String> segments = new ArrayList<>();
        try {
            decoder = new QueryStringDecoder(uri);
            int q = uri.indexOf('?');
            String rawPath = q < 0 ? uri : uri.substring(0, q);
            for (String part : rawPath.split("/")) {
                if (!part.isEmpty()) {
                    segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            decoder.parameters();
        } catch (IllegalArgumentException e) {
            throw new GhostRoomsException(ErrorCode.INVALID_REQUEST, "Malformed URL");
        }
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
        byte[] body = ByteBufUtil.getBytes(request.content());
        return new RestRequest(request.method().name(), List.copyOf(segments), decoder.parameters(),
                request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                body, ip);
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, String origin, RestResponse response) {
        write(ctx, keepAlive, origin, response, false);
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, String origin, RestResponse response,
                       boolean announceClose) {
        if (response.json() instanceof ApiError e) {
            telemetry.error(ErrorCode.valueOf(e.error().code()));
        }
        byte[] bytes;
        String contentType = response.contentType();
        if (response.json() != null) {
            try {
                bytes = json.writeValueAsBytes(response.json());
            } catch (Exception e) {
                bytes = "{\"success\":false,\"error\":{\"message\":\"Internal server error\",\"code\":\"INTERNAL_ERROR\"}}"
                        .getBytes(StandardCharsets.UTF_8);
            }
        } else {
            bytes = response.bytes();
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            res.headers().set(h.getKey(), h.getValue());
        }
        cors.addHeaders(origin, res.headers());
        if (announceClose) {
            HttpUtil.setContentLength(res, res.content().readableBytes());
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.channel().writeAndFlush(res);
            return;
        }
        send(ctx, keepAlive, res);
    }

    /** Written from the channel tail: the refusing handlers sit before the HTTP encoder. */
    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
        HttpUtil.setContentLength(res, res.content().readableBytes());
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.channel().writeAndFlush(res);
        } else {
            ctx.channel().writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
