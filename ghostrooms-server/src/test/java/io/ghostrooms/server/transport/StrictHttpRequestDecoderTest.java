package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Netty 4.1.130's own request decoder, subclassed: what it yields for the framing cases of RFC 9112. */
class StrictHttpRequestDecoderTest {
    private static final String SMUGGLING = "POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/rooms/public HTTP/1.1\r\nHost: x\r\n\r\n";

    /**
     * The symptom, pinned to the Netty version it was seen with: when this fails, Netty changed
     * (its version or this behaviour) and the subclass's two overrides need a fresh look.
     */
    @Test
    void plainNetty41130DropsTheContentLengthDecodesTheHiddenRequestAndKeepsAbsoluteTargets() {
        assertEquals("4.1.130.Final", io.netty.util.Version.identify().get("netty-codec-http").artifactVersion());
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()));
        channel.writeInbound(Unpooled.copiedBuffer(SMUGGLING + "GET http://h:1/health HTTP/1.1\r\n\r\n", StandardCharsets.ISO_8859_1));

        HttpRequest post = channel.readInbound();
        assertTrue(post.decoderResult().isSuccess());
        assertFalse(post.headers().contains(HttpHeaderNames.CONTENT_LENGTH), "Netty removed it silently");
        assertInstanceOf(LastHttpContent.class, channel.readInbound());
        assertEquals("/api/rooms/public", ((HttpRequest) channel.readInbound()).uri(), "the hidden request");
        assertInstanceOf(LastHttpContent.class, channel.readInbound());
        assertEquals("http://h:1/health", ((HttpRequest) channel.readInbound()).uri());
        channel.finishAndReleaseAll();
    }

    @Test
    void contentLengthWithChunkedIsAnInvalidMessageAndNothingAfterItIsDecoded() {
        EmbeddedChannel channel = decode(SMUGGLING);

        HttpRequest request = assertInstanceOf(HttpRequest.class, channel.readInbound());
        assertTrue(request.decoderResult().isFailure(), "a failed decoder result, not a request with its Content-Length dropped");
        // Plain Netty removes the Content-Length, reads the chunked body and then the hidden GET.
        assertNull(channel.readInbound(), "the hidden request is never decoded");
        channel.finishAndReleaseAll();
    }

    @Test
    void contentLengthWithChunkedIsRefusedWhateverTheOrderAndCase() {
        EmbeddedChannel channel = decode("POST / HTTP/1.1\r\ntransfer-encoding: Chunked\r\ncontent-length: 0\r\n\r\n0\r\n\r\n");

        assertTrue(((HttpRequest) channel.readInbound()).decoderResult().isFailure());
        channel.finishAndReleaseAll();
    }

    @Test
    void aChunkedRequestAloneIsDecodedAsBefore() {
        EmbeddedChannel channel = decode("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n");

        HttpRequest request = channel.readInbound();
        assertTrue(request.decoderResult().isSuccess());
        HttpContent chunk = channel.readInbound();
        assertEquals("ab", chunk.content().toString(StandardCharsets.US_ASCII));
        chunk.release();
        assertInstanceOf(LastHttpContent.class, channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "http://127.0.0.1:3000/health /health",
        "https://example.org/api/rooms/public /api/rooms/public",
        "http://host:80/api/messages/ghost-abc?limit=5&before=x /api/messages/ghost-abc?limit=5&before=x",
        "http://host /",
        "http://host:3000 /",
        "http://host?x=1 /?x=1",
        "HTTP://HOST/Health /Health",
        "hTTpS://h/socket.io/?EIO=4&transport=polling /socket.io/?EIO=4&transport=polling",
        "http://user@host/x /x",
        "/health /health",
        "/api/rooms?next=http://other/x /api/rooms?next=http://other/x",
        "* *",
        "ftp://host/x ftp://host/x",
    })
    void anAbsoluteFormTargetBecomesItsPathAndQuery(String target, String routed) {
        EmbeddedChannel channel = decode("GET " + target + " HTTP/1.1\r\nHost: elsewhere\r\n\r\n");

        HttpRequest request = channel.readInbound();
        assertTrue(request.decoderResult().isSuccess());
        assertEquals(routed, request.uri());
        assertEquals("elsewhere", request.headers().get(HttpHeaderNames.HOST));
        ReferenceCountUtil.release(request);
        channel.finishAndReleaseAll();
    }

    @Test
    void theConfigurationGivenIsKept() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(64)));
        channel.writeInbound(Unpooled.copiedBuffer("GET /" + "a".repeat(100) + " HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

        assertTrue(((HttpRequest) channel.readInbound()).decoderResult().isFailure(), "line longer than the configured 64");
        channel.finishAndReleaseAll();
    }

    private static EmbeddedChannel decode(String bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(new HttpDecoderConfig()));
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        return channel;
    }
}
