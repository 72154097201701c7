package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.OutPacketMessage;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which channel carries each Socket.IO session's websocket, so that a broadcast can write one
 * pre-encoded frame to it (WebSocketFanout) instead of going through netty-socketio's per-client
 * packet queue. netty-socketio does not expose the channel; it does write an {@link OutPacketMessage}
 * to a websocket channel the moment it binds it to a session (before the client can be switched to
 * it), and that write is what this handler, at the tail of every pipeline, learns it from.
 *
 * <p>That first write is also when the connection is known never to carry HTTP again: the stages
 * given as {@code httpOnlyHandlers} (REST, uploads, long-polling, the handshake's checks) are dropped
 * from its pipeline then. A joined websocket may stay open for hours; each of those stages cost it a
 * handler context (some a handler of its own) in memory, and every frame a pass through them.
 */
@Sharable
final class WebSocketChannels extends ChannelOutboundHandlerAdapter {
    private final Map<UUID, Channel> bySession = new ConcurrentHashMap<>();
    private final List<String> httpOnlyHandlers;

    public WebSocketChannels(List<String> httpOnlyHandlers) {
        this.httpOnlyHandlers = List.copyOf(httpOnlyHandlers);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof OutPacketMessage out && out.getTransport() == Transport.WEBSOCKET
                && remember(out.getSessionId(), ctx.channel())) {
            ctx.write(msg, promise);
            // After the write, which has passed every outbound stage by now (we are on the channel's loop).
            dropHttpHandlers(ctx.pipeline());
            return;
        }
        ctx.write(msg, promise);
    }

    /** True the first time the channel is seen serving the session. */
    private boolean remember(UUID session, Channel channel) {
        if (bySession.get(session) == channel) {
            return false;
        }
        bySession.put(session, channel);
        channel.closeFuture().addListener(closed -> bySession.remove(session, channel));
        return true;
    }

    private void dropHttpHandlers(ChannelPipeline pipeline) {
        for (String name : httpOnlyHandlers) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    /**
     * The open websocket channel the client is currently served on, or null while it is on
     * long-polling or still upgrading (then only netty-socketio knows where its packets go, and in
     * which order relative to the ones it has queued).
     */
    public Channel current(SocketIOClient client) {
        if (!(client instanceof NamespaceClient namespaceClient)) {
            return null;
        }
        ClientHead head = namespaceClient.getBaseClient();
        if (head.getCurrentTransport() != Transport.WEBSOCKET) {
            return null;
        }
        Channel channel = bySession.get(head.getSessionId());
        if (channel == null || !channel.isActive() || !head.isTransportChannel(channel, Transport.WEBSOCKET)) {
            return null;
        }
        return channel;
    }

    int size() {
        return bySession.size();
    }
}
