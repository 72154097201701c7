package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Every connection's pipeline, assembled in one place in reading order: inbound bytes go down this
 * list, answers go back up it. netty-socketio's own stages (decoder names are its constants, which
 * its transports look up) are taken from the initializer it builds, and ours are put between them.
 *
 * <pre>
 *  idle             closes a connection silent for 60 s
 *  httpDecoder      bytes to HTTP requests (netty-socketio's limits); refuses Content-Length beside
 *                   chunked, routes absolute-form targets by path (StrictHttpRequestDecoder)
 *  ghostroomsRequestGate  one request at a time: later pipelined ones wait for the answer before
 *  ghostroomsFramingGuard 400 + close for ambiguous framing (RFC 9112 §6.1, §6.3), nothing after it
 *  ghostroomsUpload /api/files/upload streamed to disk before aggregation
 *  ghostroomsBodyLimit  413 for a body declared over its limit, before it is buffered
 *  httpAggregator   whole requests
 *  httpEncoder      responses to bytes
 *  ghostroomsResponseWatcher  tells the gate an answer is complete; HEAD answers lose their body
 *  ghostroomsRest   /api/* and /health; CORS refusals of Socket.IO requests
 *  ghostroomsTransportGuard  foreign or malformed sids, binary packets
 *  packetHandler    netty-socketio: Socket.IO packets to listeners
 *  authorizeHandler netty-socketio: the handshake
 *  ghostroomsPollingHandoff  a polling GET bound and its predecessor released under one lock
 *  xhrPollingTransport  netty-socketio: long-polling
 *  ghostroomsUpgradeNudge    NOOPs on polling until the upgrade completes
 *  webSocketTransport   netty-socketio: websocket
 *  socketioEncoder  netty-socketio's encoder with CompletePacketEncoder
 *  wrongUrlBlocker  netty-socketio: 404 for anything else
 *  ghostroomsPollingPostOrder  a polling POST's "ok" held until its events are queued
 *  ghostroomsUnhandledFailure  closes on failures nothing handled, logging the class only
 *  ghostroomsWebSocketChannels learns each websocket's channel; drops the HTTP-only stages then
 *  ghostroomsSlowReaders  a websocket frame written while the outbound buffer is full closes the
 *                   connection (last, so it is the first stage every frame passes: netty-socketio
 *                   and the fan-out write frames from the channel's tail)
 * </pre>
 */
final class GhostRoomsPipeline extends SocketIOChannelInitializer {
    static final String SLOW_READERS = "ghostroomsSlowReaders";
    static final String IDLE = "ghostroomsIdle";
    static final String REQUEST_GATE = "ghostroomsRequestGate";
    static final String FRAMING_GUARD = "ghostroomsFramingGuard";
    static final String RESPONSE_WATCHER = "ghostroomsResponseWatcher";
    static final String UPLOADS = "ghostroomsUpload";
    static final String BODY_LIMIT = "ghostroomsBodyLimit";
    static final String REST = "ghostroomsRest";
    static final String TRANSPORT_GUARD = "ghostroomsTransportGuard";
    static final String POLLING_HANDOFF = "ghostroomsPollingHandoff";
    static final String UPGRADE_NUDGE = "ghostroomsUpgradeNudge";
    static final String POLLING_POST_ORDER = "ghostroomsPollingPostOrder";
    static final String UNHANDLED_FAILURE = "ghostroomsUnhandledFailure";
    static final String WEBSOCKET_CHANNELS = "ghostroomsWebSocketChannels";
    /** Longer than the ping interval, so only dead or stalled connections reach it. */
    static final int IDLE_CONNECTION_SECONDS = 60;

    /**
     * The stages that only ever see HTTP requests or polling answers: dropped once a connection has
     * become a websocket. Not the idle closer, the transport guard (it also checks websocket
     * packets) or the upgrade nudge (the probe frame comes after the channel is bound).
     */
    static final List<String> HTTP_ONLY = List.of(REQUEST_GATE, FRAMING_GUARD, UPLOADS, BODY_LIMIT, RESPONSE_WATCHER,
            REST, AUTHORIZE_HANDLER, POLLING_HANDOFF, XHR_POLLING_TRANSPORT, WRONG_URL_HANDLER, POLLING_POST_ORDER);

    private volatile HttpStages http;
    private final TransportGuard transportGuard;
    private final UpgradeProbeNudge upgradeNudge;
    private final WebSocketChannels websockets;
    private final SlowReaders slowReaders;
    private final BooleanSupplier draining;
    private final PollingHandoff pollingHandoff = new PollingHandoff();
    private final PollingPostOrder pollingPostOrder = new PollingPostOrder();
    private final UnhandledFailureCloser unhandledFailures = new UnhandledFailureCloser();

    private Configuration configuration;
    private ChannelHandler packetHandler;
    private ChannelHandler authorizeHandler;
    private ChannelHandler pollingTransport;
    private ChannelHandler webSocketTransport;
    private ChannelHandler wrongUrlHandler;
    private ChannelHandler encoder;

    GhostRoomsPipeline(TransportGuard transportGuard, UpgradeProbeNudge upgradeNudge, WebSocketChannels websockets,
                       SlowReaders slowReaders, BooleanSupplier draining) {
        this.slowReaders = slowReaders;
        this.transportGuard = transportGuard;
        this.upgradeNudge = upgradeNudge;
        this.websockets = websockets;
        this.draining = draining;
    }

    void serveHttp(HttpStages http) {
        this.http = http;
    }

    /**
     * netty-socketio makes its shared stages here and keeps them private; they are read back by name
     * from a scratch pipeline it fills, once, so {@link #initChannel} can place every stage itself.
     */
    @Override
    public void start(Configuration configuration, NamespacesHub namespacesHub) {
        if (http == null) {
            throw new IllegalStateException("the HTTP stages are wired before the transport starts");
        }
        super.start(configuration, namespacesHub);
        this.configuration = configuration;
        EmbeddedChannel scratch = new EmbeddedChannel();
        try {
            ChannelPipeline p = scratch.pipeline();
            super.addSocketioHandlers(p);
            packetHandler = p.get(PACKET_HANDLER);
            authorizeHandler = p.get(AUTHORIZE_HANDLER);
            pollingTransport = p.get(XHR_POLLING_TRANSPORT);
            webSocketTransport = p.get(WEB_SOCKET_TRANSPORT);
            wrongUrlHandler = p.get(WRONG_URL_HANDLER);
            for (String name : List.copyOf(p.names())) {
                if (p.context(name) != null) {
                    p.remove(name);
                }
            }
        } finally {
            scratch.finishAndReleaseAll();
        }
        try {
            encoder = new EncoderHandler(configuration, new CompletePacketEncoder(configuration, configuration.getJsonSupport()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void initChannel(Channel channel) {
        if (draining.getAsBoolean()) {
            channel.close();
            return;
        }
        channel.config().setWriteBufferWaterMark(SlowReaders.WATER_MARK);
        ChannelPipeline p = channel.pipeline();
        p.addLast(IDLE, new IdleConnectionCloser(IDLE_CONNECTION_SECONDS));
        p.addLast(HTTP_REQUEST_DECODER, new StrictHttpRequestDecoder(configuration.getHttpDecoderConfig()));
        PipelinedRequestGate gate = new PipelinedRequestGate(SocketTransport.SOCKET_PATH);
        p.addLast(REQUEST_GATE, gate);
        p.addLast(FRAMING_GUARD, new FramingGuard());
        p.addLast(UPLOADS, http.uploads().get());
        p.addLast(BODY_LIMIT, http.bodyLimit().get());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(configuration.getMaxHttpContentLength()) {
            @Override
            protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
                return null; // as netty-socketio: no 100-continue
            }
        });
        p.addLast(HTTP_ENCODER, new HttpResponseEncoder());
        p.addLast(RESPONSE_WATCHER, gate.responses());
        p.addLast(REST, http.rest());
        p.addLast(TRANSPORT_GUARD, transportGuard);
        p.addLast(PACKET_HANDLER, packetHandler);
        p.addLast(AUTHORIZE_HANDLER, authorizeHandler);
        p.addLast(POLLING_HANDOFF, pollingHandoff);
        p.addLast(XHR_POLLING_TRANSPORT, pollingTransport);
        p.addLast(UPGRADE_NUDGE, upgradeNudge);
        p.addLast(WEB_SOCKET_TRANSPORT, webSocketTransport);
        p.addLast(SOCKETIO_ENCODER, encoder);
        p.addLast(WRONG_URL_HANDLER, wrongUrlHandler);
        p.addLast(POLLING_POST_ORDER, pollingPostOrder);
        p.addLast(UNHANDLED_FAILURE, unhandledFailures);
        p.addLast(WEBSOCKET_CHANNELS, websockets);
        p.addLast(SLOW_READERS, slowReaders);
    }
}
