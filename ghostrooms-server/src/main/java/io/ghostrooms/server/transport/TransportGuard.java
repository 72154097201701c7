package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sits before netty-socketio's packet handler and closes three holes its transports leave open to
 * hostile Engine.IO traffic:
 * <ul>
 * <li>a {@code sid} that is not a session id made its transports throw: the request was never
 * answered (until the idle timeout) and the stack trace, quoting the sid, was logged at WARN. It
 * gets Engine.IO's 400 "Session ID unknown" now;</li>
 * <li>a polling request carrying the sid of a session that has upgraded to websocket was accepted:
 * whoever held the sid could emit events as that socket. It gets Engine.IO's 400 "Bad request";</li>
 * <li>a binary packet (BINARY_EVENT / BINARY_ACK) waits for the attachments it announces, and
 * netty-socketio keeps every later websocket frame as one until the announced count (up to 2^31)
 * is reached, without any bound on memory. The contract has no binary payloads: a packet still
 * waiting for attachments once its message is handled is dropped, and a websocket that sent it is
 * closed.</li>
 * </ul>
 * It also turns the bare 500 netty-socketio answers an unknown session (or a wrong method) with into
 * Engine.IO's 400 "Session ID unknown".
 */
@Sharable
final class TransportGuard extends ChannelDuplexHandler {
    private static final String UNKNOWN_SESSION = "{\"code\":1,\"message\":\"Session ID unknown\"}";
    private static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";

    private final String socketPath;
    private final Function<UUID, SocketIOClient> clients;

    public TransportGuard(String socketPath, Function<UUID, SocketIOClient> clients) {
        this.socketPath = socketPath;
        this.clients = clients;
    }


    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request && request.uri().startsWith(socketPath)) {
            String refusal = refusal(request.uri());
            if (refusal != null) {
                ReferenceCountUtil.release(msg);
                ctx.channel().writeAndFlush(badRequest(refusal)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        } else if (msg instanceof PacketsMessage message) {
            ClientHead client = message.getClient();
            Transport transport = message.getTransport();
            ctx.fireChannelRead(msg);
            if (client != null && client.getLastBinaryPacket() != null) {
                client.setLastBinaryPacket(null);
                if (transport == Transport.WEBSOCKET) {
                    ctx.close();
                }
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The refusal body for a request whose sid is not a usable session of its transport, or null. */
    private String refusal(String uri) {
        List<String> sid;
        List<String> transport;
        try {
            QueryStringDecoder query = new QueryStringDecoder(uri);
            sid = query.parameters().get("sid");
            transport = query.parameters().get("transport");
        } catch (IllegalArgumentException malformed) {
            return BAD_REQUEST;
        }
        if (sid == null) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(sid.get(0));
        } catch (IllegalArgumentException notASessionId) {
            return UNKNOWN_SESSION;
        }
        if (transport != null && "polling".equals(transport.get(0))
                && clients.apply(id) instanceof NamespaceClient client
                && client.getBaseClient().getCurrentTransport() == Transport.WEBSOCKET) {
            return BAD_REQUEST;
        }
        return null;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // PollingTransport's only answer of its own: a bodiless 500 for an unknown sid or method.
        if (msg instanceof HttpResponse response && !(msg instanceof FullHttpResponse)
                && response.status().code() == HttpResponseStatus.INTERNAL_SERVER_ERROR.code()) {
            ReferenceCountUtil.release(msg);
            ctx.write(badRequest(UNKNOWN_SESSION), promise);
            return;
        }
        ctx.write(msg, promise);
    }

    private static FullHttpResponse badRequest(String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        return res;
    }
}
