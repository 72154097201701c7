package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A Java string that is not valid Unicode, as a payload of one packet among others. */
    private static Queue<Packet> withOneUnpairedSurrogate() {
        Queue<Packet> queue = packets(3);
        Packet bad = new Packet(PacketType.MESSAGE, EngineIOVersion.V4);
        bad.setSubType(PacketType.EVENT);
        bad.setName("new_message");
        bad.setData(List.of(new com.fasterxml.jackson.databind.util.RawValue("\"broken \ud800 text\"")));
        Queue<Packet> mixed = new ConcurrentLinkedQueue<>();
        mixed.add(queue.poll());
        mixed.add(bad);
        mixed.addAll(queue);
        return mixed;
    }

    /**
     * Upstream, one packet Jackson cannot write fails the whole poll, after the packets before it
     * were taken off the queue: they are lost. If an upgrade fixes this, this test fails.
     */
    @Test
    void upstreamEncoderLosesThePollOfAnUnencodablePacket() {
        PacketEncoder upstream = new PacketEncoder(new Configuration(), new JacksonJsonSupport());
        Queue<Packet> queue = withOneUnpairedSurrogate();
        assertThrows(Exception.class, () -> encodeOnePoll(upstream, queue));
        assertEquals(2, queue.size(), "m0 and the bad packet are gone with the poll");
    }

    @Test
    void anUnencodablePacketIsDroppedAndTheOthersGoOut() throws Exception {
        PacketEncoder encoder = new CompletePacketEncoder(new Configuration(), new JacksonJsonSupport());
        Queue<Packet> queue = withOneUnpairedSurrogate();

        assertEquals(List.of("42[\"new_message\",\"m0\"]", "42[\"new_message\",\"m1\"]", "42[\"new_message\",\"m2\"]"),
                encodeOnePoll(encoder, queue));
        assertTrue(queue.isEmpty());
    }
}
