package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Completes the polling → websocket upgrade the way the Node engine.io server does.
 *
 * <p>After a successful probe the client pauses polling: it waits for its in-flight GET to return
 * before it sends the upgrade packet, and buffers every emit meanwhile. netty-socketio answers the
 * probe with a single NOOP on the polling transport; when that NOOP is drained by a poll that was
 * already returning, the client's next GET gets nothing until the next ping (25 s), so the upgrade
 * and every event emitted during it stall. Like engine.io, this re-sends a NOOP on the polling
 * transport every 100 ms until the client has upgraded (or the upgrade timeout passes).
 */
@Sharable
final class UpgradeProbeNudge extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<UUID> SESSION = AttributeKey.valueOf("ghostroomsUpgradeSession");
    private static final long INTERVAL_MS = 100;

    private final Function<UUID, SocketIOClient> clients;
    private final long timeoutMs;

    public UpgradeProbeNudge(Function<UUID, SocketIOClient> clients, long timeoutMs) {
        this.clients = clients;
        this.timeoutMs = timeoutMs;
    }


    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            rememberSession(ctx, request);
        } else if (msg instanceof TextWebSocketFrame frame && isProbe(frame.content())) {
            UUID session = ctx.channel().attr(SESSION).get();
            if (session != null) {
                nudge(ctx, session);
            }
        }
        super.channelRead(ctx, msg);
    }

    private static void rememberSession(ChannelHandlerContext ctx, HttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        List<String> transport = query.parameters().get("transport");
        List<String> sid = query.parameters().get("sid");
        if (transport == null || !"websocket".equals(transport.get(0)) || sid == null) {
            return;
        }
        try {
            ctx.channel().attr(SESSION).set(UUID.fromString(sid.get(0)));
        } catch (IllegalArgumentException notASessionId) {
            // netty-socketio refuses the request itself.
        }
    }

    private static boolean isProbe(ByteBuf content) {
        return content.readableBytes() == 6 && "2probe".equals(content.toString(content.readerIndex(), 6,
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    private void nudge(ChannelHandlerContext ctx, UUID session) {
        SocketIOClient client = clients.apply(session);
        if (!(client instanceof NamespaceClient namespaceClient)) {
            return;
        }
        ClientHead head = namespaceClient.getBaseClient();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = ctx.executor().scheduleAtFixedRate(() -> {
            if (!head.isConnected() || head.getCurrentTransport() != Transport.POLLING
                    || System.nanoTime() > deadline || !ctx.channel().isActive()) {
                task[0].cancel(false);
                return;
            }
            if (head.getPacketsQueue(Transport.POLLING).isEmpty()) {
                head.send(new Packet(PacketType.NOOP, head.getEngineIOVersion()), Transport.POLLING);
            }
        }, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }
}
