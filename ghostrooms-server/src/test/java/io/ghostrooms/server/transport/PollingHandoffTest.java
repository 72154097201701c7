package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.AuthorizeHandler;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.ClientsBox;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.store.MemoryStoreFactory;
import com.corundumstudio.socketio.transport.PollingTransport;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netty-socketio's own polling transport and client session, with a long-polling client's GET
 * handoff replayed many times: the old GET's connection closes on one thread while the next GET is
 * bound on another, as on two event loops.
 */
class PollingHandoffTest {
    private static final int HANDOFFS = 100_000;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final Configuration config = new Configuration();
    private final ClientsBox clients = new ClientsBox();
    private final UUID sessionId = UUID.randomUUID();
    private final ClientHead session = new ClientHead(sessionId, null, client -> { }, new MemoryStoreFactory(),
            new HandshakeData(new DefaultHttpHeaders(), Map.of(), new InetSocketAddress("127.0.0.1", 1), "/socket.io", false),
            clients, Transport.POLLING, null, config, Map.of());
    private final PollingHandoff handoff = new PollingHandoff();
    private PollingTransport polling;

    @BeforeEach
    void connectedSession() {
        NamespacesHub namespaces = new NamespacesHub(config);
        clients.addClient(session);
        session.addNamespaceClient(namespaces.create(Namespace.DEFAULT_NAME)); // connected: a GET only binds
        AuthorizeHandler authorize = new AuthorizeHandler("/socket.io", null, config, namespaces,
                new MemoryStoreFactory(), client -> { }, null, clients);
        polling = new PollingTransport(null, authorize, clients);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void theClosingOfAnAnsweredPollNeverUnbindsTheNextPollOfItsSession() throws Exception {
        assertEquals(0, unboundAfterHandoffs(() -> {
            EmbeddedChannel get = new EmbeddedChannel(handoff, polling);
            get.writeInbound(poll(sessionId));
            return get;
        }), "GETs left unbound (their client would wait forever) in " + HANDOFFS + " handoffs");
    }

    /** The handshake's GET has no sid: netty-socketio's authorize step marks its channel with the session. */
    @Test
    void theClosingOfTheHandshakePollNeverUnbindsTheFirstPollOfItsSession() throws Exception {
        assertEquals(0, unboundAfterHandoffs(() -> {
            EmbeddedChannel handshake = new EmbeddedChannel();
            handshake.attr(ClientHead.CLIENT).set(session);
            handshake.pipeline().addLast(handoff, polling);
            handshake.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/socket.io/?EIO=4&transport=polling"));
            return handshake;
        }), "first GETs left unbound in " + HANDOFFS + " handshakes");
    }

    /**
     * Binds {@code previous} GETs one after the other; as each closes on one thread, the session's
     * next GET arrives on another. Counts the next GETs found unbound afterwards.
     */
    private int unboundAfterHandoffs(Supplier<EmbeddedChannel> previous) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        int unbound = 0;
        for (int i = 0; i < HANDOFFS; i++) {
            EmbeddedChannel old = previous.get();
            assertTrue(session.isTransportChannel(old, Transport.POLLING), "a GET is bound");
            EmbeddedChannel next = new EmbeddedChannel(handoff, polling);
            Future<?> close = threads.submit(() -> {
                together.await();
                old.pipeline().fireChannelInactive();
                return null;
            });
            Future<?> get = threads.submit(() -> {
                together.await();
                next.pipeline().fireChannelRead(poll(sessionId));
                return null;
            });
            close.get(10, TimeUnit.SECONDS);
            get.get(10, TimeUnit.SECONDS);
            if (!session.isTransportChannel(next, Transport.POLLING)) {
                unbound++;
            }
            next.pipeline().fireChannelInactive();
        }
        return unbound;
    }

    private static DefaultFullHttpRequest poll(UUID sessionId) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/socket.io/?EIO=4&transport=polling&sid=" + sessionId);
    }
}
