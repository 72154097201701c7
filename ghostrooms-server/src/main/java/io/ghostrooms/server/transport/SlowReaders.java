package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.ghostrooms.server.common.Telemetry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.Iterator;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what the server holds for a client that stops reading. A client that stopped reading its
 * websocket while its room was busy made the server hold 91 MB and more for it (RSS up 470-640 MB),
 * growing for as long as the room talked: Netty buffers every write a socket cannot take, and
 * netty-socketio 2.0.14 queues a long-polling client's packets without a bound until it polls.
 *
 * <ul>
 * <li>websocket: each connection's outbound buffer has a high-water mark ({@link #WATER_MARK}); a
 * frame written while the connection is above it closes the connection instead of being buffered
 * (this handler is the first outbound stage of the pipeline: netty-socketio and the broadcast
 * fan-out write every frame from the channel's tail);</li>
 * <li>long-polling: before anything is queued for a client on polling, its queue is looked at; past
 * {@link #MAX_POLLING_BACKLOG} packets the client is disconnected. A client that polls empties its
 * queue at every poll (50 packets per answer), so only one that stopped polling gets there.</li>
 * </ul>
 * Either way the client sees a closed connection and reconnects, and the rest of the room goes on.
 */
@Sharable
final class SlowReaders extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(SlowReaders.class);
    /** Far above one room_joined (50 messages of at most 2,000 characters) or one 128 KB frame. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    static final int MAX_POLLING_BACKLOG = 1_000;

    private final Telemetry telemetry;

    SlowReaders(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof WebSocketFrame && !ctx.channel().isWritable()) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            if (ctx.channel().isOpen()) {
                telemetry.slowReaderClosed();
                log.debug("closed a websocket that stopped reading ({} bytes waiting)",
                        ctx.channel().unsafe().outboundBuffer() == null ? 0
                                : ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes());
                ctx.close();
            }
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * True when the client may be sent one more packet; false when it is on long-polling with a
     * full backlog, in which case it has been disconnected.
     */
    boolean admit(SocketIOClient client) {
        if (!(client instanceof NamespaceClient namespaceClient)) {
            return true;
        }
        ClientHead head = namespaceClient.getBaseClient();
        if (head.getCurrentTransport() != Transport.POLLING
                || !longerThan(head.getPacketsQueue(Transport.POLLING), MAX_POLLING_BACKLOG)) {
            return true;
        }
        if (head.isConnected()) {
            telemetry.slowReaderClosed();
            log.debug("disconnected a long-polling client that stopped polling ({}+ packets waiting)", MAX_POLLING_BACKLOG);
            head.disconnect();
        }
        return false;
    }

    /** Walks at most limit + 1 nodes: the queue is a ConcurrentLinkedQueue, whose size() walks them all. */
    private static boolean longerThan(Queue<?> queue, int limit) {
        Iterator<?> it = queue.iterator();
        for (int i = 0; i <= limit; i++) {
            if (!it.hasNext()) {
                return false;
            }
            it.next();
        }
        return true;
    }
}
