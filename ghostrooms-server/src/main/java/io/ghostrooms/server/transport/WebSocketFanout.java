package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import io.ghostrooms.server.common.Telemetry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Sends one event to many clients with one encoding and one task per event loop.
 *
 * <p>netty-socketio sends a broadcast as one packet per recipient: a copy of the packet, a write
 * task handed to the recipient's event loop, and a JSON encoding there, each per recipient. A
 * profile of 20,000 deliveries/s put most of the server's time in that. Here the Socket.IO frame
 * ({@code 42["event",payload]}, the same bytes netty-socketio writes to a websocket in the default
 * namespace) is encoded once, and each event loop gets one task that writes it to all of its
 * websocket recipients. Clients that are on long-polling or in the middle of an upgrade go through
 * netty-socketio as before ({@code fallback}), because only its queues know their order.
 */
final class WebSocketFanout {
    /** Larger frames are split by netty-socketio into continuation frames; they keep its path. */
    private final int maxFrameBytes;
    private final WebSocketChannels channels;
    private final ByteBufAllocator allocator;
    private final Telemetry telemetry;

    WebSocketFanout(WebSocketChannels channels, int maxFrameBytes, ByteBufAllocator allocator, Telemetry telemetry) {
        this.channels = channels;
        this.maxFrameBytes = maxFrameBytes;
        this.allocator = allocator;
        this.telemetry = telemetry;
    }

    /**
     * @param frame    the encoded text frame ({@code 42[...]}), UTF-8
     * @param except   a session not to send to, or null
     * @param fallback sends the event to one client through netty-socketio
     */
    void send(Iterable<SocketIOClient> clients, UUID except, byte[] frame, Consumer<SocketIOClient> fallback) {
        long started = System.nanoTime();
        boolean direct = frame.length <= maxFrameBytes;
        List<LoopBatch> batches = new ArrayList<>(2);
        int recipients = 0;
        for (SocketIOClient client : clients) {
            if (except != null && except.equals(client.getSessionId())) {
                continue;
            }
            recipients++;
            Channel channel = direct ? channels.current(client) : null;
            if (channel == null) {
                fallback.accept(client);
            } else {
                batchOf(batches, channel.eventLoop()).channels.add(channel);
            }
        }
        telemetry.delivered(recipients);
        if (batches.isEmpty()) {
            return;
        }
        ByteBuf content = allocator.directBuffer(frame.length).writeBytes(frame);
        try {
            for (LoopBatch batch : batches) {
                content.retain();
                try {
                    batch.loop.execute(() -> {
                        batch.write(content);
                        telemetry.fannedOut(System.nanoTime() - started);
                    });
                } catch (RejectedExecutionException shuttingDown) {
                    content.release();
                }
            }
        } finally {
            content.release();
        }
    }

    private static LoopBatch batchOf(List<LoopBatch> batches, EventLoop loop) {
        for (LoopBatch batch : batches) {
            if (batch.loop == loop) {
                return batch;
            }
        }
        LoopBatch batch = new LoopBatch(loop);
        batches.add(batch);
        return batch;
    }

    private static final class LoopBatch {
        final EventLoop loop;
        final List<Channel> channels = new ArrayList<>();

        LoopBatch(EventLoop loop) {
            this.loop = loop;
        }

        /** On the loop: a channel closed since it was picked just drops its copy. */
        void write(ByteBuf content) {
            try {
                for (Channel channel : channels) {
                    if (channel.isActive()) {
                        channel.writeAndFlush(new TextWebSocketFrame(content.retainedDuplicate()));
                    }
                }
            } finally {
                content.release();
            }
        }
    }
}
