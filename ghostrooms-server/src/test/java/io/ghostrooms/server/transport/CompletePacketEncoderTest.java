package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class CompletePacketEncoderTest {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static Queue<Packet> packets(int n) {
        Queue<Packet> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            Packet p = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
            p.setSubType(PacketType.EVENT);
            p.setName("new_message");
            p.setData(List.of("m" + i));
            queue.add(p);
        }
        return queue;
    }

    /** The messages one poll response carries, in order. */
    private static List<String> encodeOnePoll(PacketEncoder encoder, Queue<Packet> queue) throws Exception {
        ByteBuf out = encoder.allocateBuffer(ALLOC);
        try {
            encoder.encodePackets(queue, out, ALLOC, 50);
            return List.of(out.toString(StandardCharsets.UTF_8).split("\u001e"));
        } finally {
            out.release();
        }
    }

    @Test
    void aPollOfMoreThanFiftyPacketsLosesNone() throws Exception {
        Configuration config = new Configuration();
        PacketEncoder encoder = new CompletePacketEncoder(config, new JacksonJsonSupport());
        Queue<Packet> queue = packets(120);
        int delivered = 0;
        int polls = 0;
        while (!queue.isEmpty()) {
            List<String> poll = encodeOnePoll(encoder, queue);
            assertEquals("42[\"new_message\",\"m" + delivered + "\"]", poll.get(0), "order kept across polls");
            delivered += poll.size();
            polls++;
        }
        assertEquals(120, delivered);
        assertEquals(3, polls);
    }

    /**
     * The upstream encoder this class works around: a poll that finds 60 packets writes 50 and
     * drops one. If an upgrade of netty-socketio fixes it, this fails: then CompletePacketEncoder
     * can go.
     */
    @Test
    void upstreamEncoderStillDropsThePacketAfterTheLimit() throws Exception {
        PacketEncoder upstream = new PacketEncoder(new Configuration(), new JacksonJsonSupport());
        Queue<Packet> queue = packets(60);
        assertEquals(50, encodeOnePoll(upstream, queue).size());
        assertEquals(9, queue.size());
    }
}
