package io.ghostrooms.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Socket.IO client over a real websocket, speaking Engine.IO 4 as socket.io-client 4 does (open,
 * "40" connect, "42" events, "42N"/"43N" acks, pings answered). For Java tests of the real server.
 */
public final class RawSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event received: its name and first argument. */
    public record Event(String name, JsonNode payload) {
    }

    private final WebSocket ws;
    private final List<Event> events = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();
    private final AtomicInteger nextAck = new AtomicInteger(1);
    /**
     * The last text sent: java.net.http's WebSocket refuses a send while another is pending ("Send
     * pending"), and the pong to a server ping goes out from the listener thread while a test may be
     * sending, so every send is chained after the one before.
     */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private RawSocket(TestServer server) throws Exception {
        StringBuilder partial = new StringBuilder();
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.url("/socket.io/?EIO=4&transport=websocket").replace("http:", "ws:")),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    frame(socket, partial.toString());
                                    partial.setLength(0);
                                }
                                socket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        ws.sendText("40", true);
        awaitFrame(f -> f.startsWith("40{"));
    }

    private synchronized CompletableFuture<?> send(String text) {
        CompletableFuture<?> next = lastSend.handle((ignored, failure) -> null)
                .thenCompose(ignored -> ws.sendText(text, true));
        lastSend = next;
        return next;
    }

    public static RawSocket connect(TestServer server) throws Exception {
        return new RawSocket(server);
    }

    private final List<String> frames = new ArrayList<>();

    private void frame(WebSocket socket, String frame) {
        if (frame.equals("2")) {
            send("3");
            return;
        }
        synchronized (this) {
            frames.add(frame);
            if (frame.startsWith("42[")) {
                try {
                    JsonNode array = JSON.readTree(frame.substring(2));
                    events.add(new Event(array.get(0).asText(), array.size() > 1 ? array.get(1) : null));
                } catch (Exception e) {
                    throw new IllegalStateException("unreadable frame " + frame, e);
                }
            } else if (frame.startsWith("43")) {
                acks.add(frame);
            }
            notifyAll();
        }
    }

    private synchronized String awaitFrame(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            for (String f : frames) {
                if (matching.test(f)) {
                    return f;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame; got " + frames);
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    public void emit(String event, Object payload) throws Exception {
        send("42" + packet(event, payload)).get(5, TimeUnit.SECONDS);
    }

    /** Emits with an ack callback and returns the ack's first argument. */
    public JsonNode emitWithAck(String event, Object payload) throws Exception {
        int id = nextAck.getAndIncrement();
        send("42" + id + packet(event, payload)).get(5, TimeUnit.SECONDS);
        String prefix = "43" + id + "[";
        String ack = awaitFrame(f -> f.startsWith(prefix));
        return JSON.readTree(ack.substring(prefix.length() - 1)).get(0);
    }

    private static String packet(String event, Object payload) throws Exception {
        ArrayNode array = JSON.createArrayNode().add(event);
        if (payload != null) {
            array.add(JSON.valueToTree(payload));
        }
        return JSON.writeValueAsString(array);
    }

    /** The first event of that name (received or to come) whose payload matches; consumed. */
    public synchronized JsonNode await(String name, Predicate<JsonNode> matching, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            for (Event e : events) {
                if (e.name().equals(name) && matching.test(e.payload())) {
                    events.remove(e);
                    return e.payload();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + name + "' within " + timeout + "; got " + names());
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    public JsonNode await(String name) throws InterruptedException {
        return await(name, p -> true, Duration.ofSeconds(10));
    }

    /** Events of that name received so far (not consumed). */
    public synchronized List<JsonNode> received(String name) {
        return events.stream().filter(e -> e.name().equals(name)).map(Event::payload).toList();
    }

    private List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** join_room and wait for room_joined. */
    public JsonNode join(String roomToken, String sessionToken) throws Exception {
        emit("join_room", java.util.Map.of("roomToken", roomToken, "sessionToken", sessionToken));
        return await("room_joined");
    }

    @Override
    public void close() {
        ws.abort();
    }
}
