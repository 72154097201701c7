package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * netty-socketio 2.0.14's PacketEncoder, minus two ways it loses long-polling packets.
 *
 * <ul>
 * <li>A poll response carries at most {@code limit} (50) packets, and the upstream loop takes
 * packet number limit + 1 off the queue before it checks the limit, then drops it. Every poll that
 * found more than 50 packets waiting lost one (a new_message or an ack), silently: bench/faults saw
 * polling members miss 1-40 broadcasts and acks after a database outage's backlog, and 384 in one
 * run without a fault. Here the loop stops before taking a packet it would not write; the rest wait
 * for the next poll.</li>
 * <li>One packet that cannot be encoded (a pre-serialized payload holding an unpaired surrogate made
 * Jackson throw "Incomplete surrogate pair") failed the whole poll: the packets already taken off
 * the queue were lost, and that member never received again. Here each packet is encoded on its
 * own; one that fails is dropped and the others go out.</li>
 * </ul>
 */
final class CompletePacketEncoder extends PacketEncoder {
    private static final Logger log = LoggerFactory.getLogger(CompletePacketEncoder.class);
    private static final byte RECORD_SEPARATOR = 0x1e;

    CompletePacketEncoder(Configuration configuration, JsonSupport jsonSupport) {
        super(configuration, jsonSupport);
    }

    @Override
    public void encodePackets(Queue<Packet> queue, ByteBuf buffer, ByteBufAllocator allocator, int limit)
            throws IOException {
        int written = 0;
        Queue<Packet> one = new ArrayDeque<>(1);
        while (written < limit) {
            Packet packet = queue.poll();
            if (packet == null) {
                return;
            }
            one.add(packet);
            ByteBuf encoded = allocator.heapBuffer();
            try {
                super.encodePackets(one, encoded, allocator, 1);
                // Engine.IO 3 and 4 separate the packets of one poll with 0x1e (netty-socketio's rule).
                if (written > 0 && (packet.getEngineIOVersion() == EngineIOVersion.V4
                        || packet.getEngineIOVersion() == EngineIOVersion.V3)) {
                    buffer.writeByte(RECORD_SEPARATOR);
                }
                buffer.writeBytes(encoded);
                written++;
            } catch (IOException | RuntimeException unencodable) {
                log.debug("dropped a packet that could not be encoded ({})", unencodable.getClass().getSimpleName());
            } finally {
                one.clear();
                encoded.release();
            }
        }
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
