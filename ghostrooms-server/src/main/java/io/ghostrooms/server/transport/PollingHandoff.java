package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.UUID;

/**
 * Keeps a long-polling client's newest GET bound to its session.
 *
 * <p>netty-socketio answers a poll and closes its connection; the client's next GET arrives on a new
 * connection, maybe on the other event loop, and is bound as the session's polling channel there,
 * while the old connection's close is still being handled on its own loop. That close clears the
 * binding if it still names the old connection: a check and a write on a plain field, with no
 * lock. When the new GET was bound in between, its binding was cleared: every later packet waited
 * in the session's queue for a connection that would never come, and the client got no message,
 * ack or ping on that GET (seen in bench/faults: a polling member stuck for the rest of the run,
 * hundreds of sends unanswered, no disconnect). Binding a GET and releasing a closed one are
 * therefore done under one lock per session here; both are a few map updates, and only the two
 * connections of one session ever wait for each other (or two sessions that share a stripe).
 *
 * <p>It sits right before netty-socketio's polling transport, after the handshake has made a
 * session for a GET that has no sid yet.
 */
@Sharable
final class PollingHandoff extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<UUID> SESSION = AttributeKey.valueOf("ghostroomsPollingSession");
    private static final int STRIPES = 256;

    private final Object[] locks = new Object[STRIPES];

    public PollingHandoff() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        UUID session = msg instanceof FullHttpRequest req ? pollingGetSession(ctx, req) : null;
        if (session == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.channel().attr(SESSION).set(session);
        synchronized (lockOf(session)) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        UUID session = ctx.channel().attr(SESSION).get();
        if (session == null) {
            ctx.fireChannelInactive();
            return;
        }
        synchronized (lockOf(session)) {
            ctx.fireChannelInactive();
        }
    }

    private Object lockOf(UUID session) {
        return locks[(session.hashCode() & Integer.MAX_VALUE) % STRIPES];
    }

    /** The session a long-polling GET will be bound to, or null for anything else. */
    private static UUID pollingGetSession(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!HttpMethod.GET.equals(req.method())) {
            return null;
        }
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        if (!"polling".equals(first(query.parameters().get("transport")))) {
            return null;
        }
        String sid = first(query.parameters().get("sid"));
        if (sid == null) {
            // The handshake: netty-socketio's authorize step has just made the session.
            ClientHead client = ctx.channel().attr(ClientHead.CLIENT).get();
            return client == null ? null : client.getSessionId();
        }
        try {
            return UUID.fromString(sid);
        } catch (IllegalArgumentException notASession) {
            return null;
        }
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
