package io.ghostrooms.server.metrics;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.server.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters in one Prometheus registry (Micrometer), with the names of PROTOCOL.md
 * "Operations". Label values are only fixed vocabularies (event names, error codes, transports):
 * never a token, nickname, room or address, so nothing a scrape shows identifies anyone.
 *
 * <p>Counters and timers are Micrometer's own (striped adders and atomic histogram buckets): the
 * hot paths call {@link Telemetry} methods that find their meter in a map built at startup and
 * update it without a lock or an allocation.
 */
public final class Metrics implements Telemetry {
    /** The exposition format's media type (Prometheus text 0.0.4). */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Filled on first sight of each event name; only the handled ones ever reach it, so it stays small. */
    private final ConcurrentHashMap<String, Counter> events = new ConcurrentHashMap<>();
    private final EnumMap<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter stored;
    private final Counter deliveries;
    private final Counter slowReaders;
    private final Timer commits;
    private final Timer fanout;

    public Metrics() {
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("ghostrooms.errors").tag("code", code.name())
                    .description("Error answers sent (socket and REST), by contract code").register(registry));
        }
        stored = Counter.builder("ghostrooms.messages.stored").description("Messages committed to the database")
                .register(registry);
        deliveries = Counter.builder("ghostrooms.deliveries")
                .description("Events handed to connections (each recipient of a broadcast counts)").register(registry);
        slowReaders = Counter.builder("ghostrooms.slow.readers.closed")
                .description("Connections ended because they stopped reading").register(registry);
        commits = histogram("ghostrooms.message.commit", "One transaction of the message writer (a batch of messages)");
        fanout = histogram("ghostrooms.fanout",
                "From a broadcast's start until its frames were written to its websocket recipients of one event loop");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    /** A gauge read at scrape time from {@code source}; tags are name/value pairs of fixed vocabularies. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    /** The Netty event loops of the server, once they exist (after the transport started). */
    public void eventLoops(Supplier<Iterable<EventExecutor>> loops) {
        new NettyEventExecutorMetrics(loops.get()).bindTo(registry);
    }

    /**
     * Whether a scrape from this address is answered on the server's main port: loopback only,
     * unless METRICS_PUBLIC=true. {@code ip} is the literal address of the connection.
     */
    public static boolean mayScrape(String ip, boolean fromAnywhere) {
        if (fromAnywhere) {
            return true;
        }
        try {
            return ip != null && java.net.InetAddress.getByName(ip).isLoopbackAddress();
        } catch (java.net.UnknownHostException notALiteral) {
            return false;
        }
    }

    /** The whole registry in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void eventReceived(String event) {
        Counter c = events.get(event);
        if (c == null) {
            c = events.computeIfAbsent(event, name -> Counter.builder("ghostrooms.events.received").tag("event", name)
                    .description("Socket.IO events received, by event name").register(registry));
        }
        c.increment();
    }

    @Override
    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    @Override
    public void batchCommitted(int messages, long nanos) {
        stored.increment(messages);
        commits.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void delivered(int recipients) {
        deliveries.increment(recipients);
    }

    @Override
    public void fannedOut(long nanos) {
        fanout.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void slowReaderClosed() {
        slowReaders.increment();
    }
}
