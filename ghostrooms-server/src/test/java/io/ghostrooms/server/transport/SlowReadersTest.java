package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

/** The websocket half of SlowReaders: Netty's real outbound buffer and writability. */
class SlowReadersTest {
    private static final int HALF_MB = 512 * 1024;

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new SlowReaders(io.ghostrooms.server.common.Telemetry.NONE));
        channel.config().setWriteBufferWaterMark(SlowReaders.WATER_MARK);
        return channel;
    }

    /** Written and not flushed: what a socket the client does not read leaves in the buffer. */
    private static ChannelFuture frame(EmbeddedChannel channel, int bytes) {
        return channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[bytes])));
    }

    @Test
    void framesAreBufferedWhileTheConnectionIsBelowItsHighWaterMark() {
        EmbeddedChannel channel = channel();
        frame(channel, HALF_MB);
        frame(channel, HALF_MB - 1024);

        assertTrue(channel.isOpen());
        channel.flush();
        assertEquals(2, channel.outboundMessages().size());
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameWrittenAboveTheHighWaterMarkClosesTheConnection() {
        EmbeddedChannel channel = channel();
        frame(channel, HALF_MB);
        frame(channel, HALF_MB + 1024);
        assertFalse(channel.isWritable());

        ChannelFuture refused = frame(channel, 10);

        assertFalse(refused.isSuccess());
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void httpResponsesAreNeverRefused() {
        EmbeddedChannel channel = channel();
        channel.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(new byte[3 * HALF_MB])));
        assertFalse(channel.isWritable());

        ChannelFuture next = channel.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        channel.flush();
        assertTrue(next.isSuccess());
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }
}
