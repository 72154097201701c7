package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.Queue;

/**
 * netty-socketio 2.0.14's PacketEncoder, minus a message-loss bug of long-polling: a poll response
 * carries at most {@code limit} (50) packets, and its loop takes packet number limit + 1 off the
 * queue before it checks the limit, then drops it. Every poll that found more than 50 packets
 * waiting lost one (a new_message or an ack), silently: bench/faults saw polling members miss
 * 1-40 broadcasts and acks after a database outage's backlog, and 384 in one run without a fault.
 * Here the queue handed to the encoder runs dry after {@code limit} packets, so the loop stops
 * before taking one it would not write; the rest wait for the next poll.
 */
final class CompletePacketEncoder extends PacketEncoder {

    public CompletePacketEncoder(Configuration configuration, JsonSupport jsonSupport) {
        super(configuration, jsonSupport);
    }

    @Override
    public void encodePackets(Queue<Packet> queue, ByteBuf buffer, ByteBufAllocator allocator, int limit)
            throws IOException {
        super.encodePackets(new AtMost(queue, limit), buffer, allocator, Integer.MAX_VALUE);
    }

    @Override
    public void encodeJsonP(Integer jsonpIndex, Queue<Packet> queue, ByteBuf out, ByteBufAllocator allocator, int limit)
            throws IOException {
        super.encodeJsonP(jsonpIndex, new AtMost(queue, limit), out, allocator, Integer.MAX_VALUE);
    }

    /** A view of a queue whose poll() gives at most {@code limit} elements, then null. */
    private static final class AtMost extends AbstractQueue<Packet> {
        private final Queue<Packet> queue;
        private int left;

        AtMost(Queue<Packet> queue, int limit) {
            this.queue = queue;
            this.left = limit;
        }

        @Override
        public Packet poll() {
            if (left <= 0) {
                return null;
            }
            Packet p = queue.poll();
            if (p != null) {
                left--;
            }
            return p;
        }

        @Override
        public Packet peek() {
            return left <= 0 ? null : queue.peek();
        }

        @Override
        public boolean offer(Packet packet) {
            return queue.offer(packet);
        }

        @Override
        public Iterator<Packet> iterator() {
            return queue.iterator();
        }

        @Override
        public int size() {
            return Math.min(left, queue.size());
        }
    }
}
