package io.ghostrooms.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Lets one HTTP request at a time into the pipeline, so that pipelined requests are answered in
 * the order they came (RFC 9112 §9.3.2), and answers HEAD as GET without a body (RFC 9110 §9.3.2).
 *
 * <p>Symptoms before (issue 23): REST requests run on a worker pool and each response was written
 * when its worker finished, so three pipelined requests (a slow database one first) were answered
 * out of order and the client matched them to the wrong requests; a HEAD response carried the GET
 * body, which a keep-alive client reads as the start of the next response.
 *
 * <p>Two stages share this per-channel state: this one right after the request decoder, and
 * {@link #responses()} right after the HTTP response encoder (toward the tail), where every answer
 * passes as an {@link HttpResponse}, whoever wrote it (REST, uploads, the refusals, netty-socketio's
 * polling answers and the websocket 101). Once a request has passed, the HTTP objects of the next
 * one are held, and reading stops, until the response to the first has been written completely
 * (a {@link FullHttpResponse}, or a {@link LastHttpContent} after an {@link HttpResponse}, has been
 * flushed). Then the held objects go on, up to the next request. At most {@link #MAX_HELD_REQUESTS}
 * requests are held: a client pipelining more gets the ones held answered and then the connection
 * closes (it may retry the rest, RFC 9112 §9.3.2). After a response with {@code Connection: close},
 * or to a request that asked for it, later requests are dropped unprocessed (RFC 9112 §9.6). After
 * a 101 the connection carries websocket frames: the gate lets everything through from then on.
 * Held messages are released when the channel closes or the stage is removed.
 *
 * <p>A request under the Socket.IO path is the last one processed on its connection: netty-socketio
 * 2.0.14 closes every connection it answers (its EncoderHandler adds a close listener to each HTTP
 * answer, keep-alive header or not), and that listener may be added by another thread after the
 * answer was flushed, so a request released then would race the close (processed, its answer
 * lost). Its websocket upgrade is the exception: the 101 switches the connection instead.
 *
 * <p>A HEAD request goes on as a GET (every route, REST or Socket.IO, answers it as GET); its
 * response keeps its headers, Content-Length included, and loses its body and Transfer-Encoding.
 *
 * <p>One instance per channel; both stages run on the channel's event loop.
 */
public final class PipelinedRequestGate extends ChannelInboundHandlerAdapter {
    static final int MAX_HELD_REQUESTS = 16;

    private final String socketPath;
    private final ResponseWatcher responses = new ResponseWatcher();
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int heldRequests;
    /** A request has passed and its response is not completely written yet. */
    private boolean awaiting;
    private boolean head;
    private boolean requestKeepAlive = true;
    /** No further request is processed: the connection is closing. */
    private boolean closing;
    /** Everything that arrives is dropped (a request after {@link #closing}, or one too many). */
    private boolean dropping;
    /** Close once the held requests have been answered (too many were pipelined). */
    private boolean closeWhenAnswered;
    private boolean upgraded;
    private boolean readPaused;
    private boolean draining;

    /** @param socketPath the Socket.IO path prefix ({@code /socket.io}), whose requests end their connection */
    public PipelinedRequestGate(String socketPath) {
        this.socketPath = socketPath;
    }

    /** The outbound stage, to be placed right after the HTTP response encoder. */
    public ChannelOutboundHandler responses() {
        return responses;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (dropping) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean request = msg instanceof HttpRequest;
        if (request && closing) {
            dropping = true;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!held.isEmpty() || request && awaiting && !upgraded) {
            hold(msg, request);
            return;
        }
        pass(msg);
    }

    private void hold(Object msg, boolean request) {
        if (request && heldRequests == MAX_HELD_REQUESTS) {
            dropping = true;
            closeWhenAnswered = true;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (request) {
            heldRequests++;
        }
        held.add(msg);
        if (!readPaused) {
            readPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void pass(Object msg) {
        if (msg instanceof HttpRequest request) {
            awaiting = !upgraded;
            requestKeepAlive = HttpUtil.isKeepAlive(request) && !request.uri().startsWith(socketPath);
            head = HttpMethod.HEAD.equals(request.method());
            if (head) {
                request.setMethod(HttpMethod.GET);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The response to the request that passed last has been flushed (or failed to be). */
    private void responseWritten(boolean keepAlive, boolean switched) {
        if (!awaiting) {
            return;
        }
        awaiting = false;
        head = false;
        if (switched) {
            upgraded = true;
        } else if (!keepAlive || !requestKeepAlive) {
            closing = true;
            dropping |= !held.isEmpty();
            releaseHeld();
        }
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        if (!ctx.channel().isActive()) {
            // Closed after the answer (netty-socketio closes every polling connection it answers).
            releaseHeld();
            return;
        }
        draining = true;
        try {
            while (!held.isEmpty() && !(awaiting && held.peek() instanceof HttpRequest)) {
                Object msg = held.poll();
                if (msg instanceof HttpRequest) {
                    heldRequests--;
                }
                pass(msg);
            }
        } finally {
            draining = false;
        }
        if (held.isEmpty()) {
            if (closeWhenAnswered && !awaiting) {
                ctx.channel().close();
            } else if (readPaused) {
                readPaused = false;
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        heldRequests = 0;
        if (readPaused) {
            readPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closing = true;
        dropping = true;
        releaseHeld();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    /**
     * Sees every response on its way to the encoder: strips the body of HEAD answers and tells the
     * gate when the answer in progress has been flushed.
     */
    private final class ResponseWatcher extends ChannelOutboundHandlerAdapter {
        private boolean keepAlive = true;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            boolean last = false;
            boolean switched = false;
            if (msg instanceof HttpResponse response) {
                HttpResponseStatus status = response.status();
                if (status.codeClass() == HttpStatusClass.INFORMATIONAL
                        && status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    ctx.write(msg, promise);
                    return;
                }
                keepAlive = HttpUtil.isKeepAlive(response);
                switched = status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
                last = msg instanceof FullHttpResponse;
                if (head) {
                    response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                    msg = withoutBody(msg);
                }
            } else if (msg instanceof HttpContent) {
                last = msg instanceof LastHttpContent;
                if (head) {
                    msg = withoutBody(msg);
                }
            }
            if (!last || !awaiting) {
                ctx.write(msg, promise);
                return;
            }
            boolean answerKeepAlive = keepAlive;
            boolean answerSwitched = switched;
            ChannelPromise tracked = promise.unvoid();
            // Not from within the flush that completed it: the next request may write and flush at once.
            tracked.addListener(done -> {
                try {
                    ctx.executor().execute(() -> responseWritten(answerKeepAlive && done.isSuccess(),
                            answerSwitched && done.isSuccess()));
                } catch (RejectedExecutionException shuttingDown) {
                    // The event loop is stopping: the channel closes with it.
                }
            });
            ctx.write(msg, tracked);
        }

        private static Object withoutBody(Object msg) {
            if (msg instanceof FullHttpResponse full) {
                FullHttpResponse empty = full.replace(Unpooled.EMPTY_BUFFER);
                full.release();
                return empty;
            }
            if (msg instanceof HttpContent content && !(msg instanceof HttpResponse)) {
                content.release();
                return msg instanceof LastHttpContent ? LastHttpContent.EMPTY_LAST_CONTENT
                        : new DefaultHttpContent(Unpooled.EMPTY_BUFFER);
            }
            return msg;
        }
    }
}
