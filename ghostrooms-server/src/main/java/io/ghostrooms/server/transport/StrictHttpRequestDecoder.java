package io.ghostrooms.server.transport;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder (with netty-socketio's {@link HttpDecoderConfig}), with two changes that
 * RFC 9112 asks of a server and that Netty 4.1.130 does not do:
 * <ul>
 * <li><b>Content-Length together with Transfer-Encoding: chunked</b> (RFC 9112 §6.1, §6.3 item 3,
 * §11.2). Netty drops the Content-Length and reads the body as chunked, so the request looked
 * like any other; a proxy in front that framed it by its Content-Length instead saw the bytes
 * after the chunked body as a second request, which we answered: request smuggling. Here such a
 * request becomes an invalid message (a failed {@code DecoderResult}), as Netty's javadoc of
 * {@link #handleTransferEncodingChunkedWithContentLength} suggests: nothing after its headers is
 * decoded any more, and {@link FramingGuard} answers 400 and closes.</li>
 * <li><b>Absolute-form targets</b> (RFC 9112 §3.2.2: a server MUST accept
 * {@code GET http://host/path HTTP/1.1}). Netty kept the whole URL as the URI, and every route
 * (REST, Socket.IO) compares paths, so such a request was 404. The target becomes its path and
 * query ({@code /} when the URL has no path) before anything else sees it; routing never uses the
 * Host header, so the authority is simply dropped.</li>
 * </ul>
 * It stays a {@link HttpRequestDecoder}: netty-socketio's websocket handshake finds the decoder by
 * that class to replace it with the frame decoder.
 */
public final class StrictHttpRequestDecoder extends HttpRequestDecoder {

    public StrictHttpRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        initialLine[1] = originForm(initialLine[1]);
        return super.createMessage(initialLine);
    }

    /** Throwing here makes Netty emit the request as an invalid message and discard the rest. */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("Content-Length and Transfer-Encoding in one request");
    }

    /**
     * The origin-form ({@code /path?query}) of an absolute-form target with the {@code http} or
     * {@code https} scheme (any case); any other target unchanged.
     */
    static String originForm(String target) {
        int authority;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            authority = 7;
        } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
            authority = 8;
        } else {
            return target;
        }
        int end = target.length();
        for (int i = authority; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String rest = target.substring(end);
        return rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
    }
}
