package io.ghostrooms.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.DatabaseUrl;
import io.ghostrooms.persistence.messages.MessageDao;
import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.socket.MessageDto;
import io.ghostrooms.server.common.GhostRoomsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The writer during a database outage, on a real PostgreSQL reached through a TCP proxy the test
 * cuts (connections reset, new ones refused) and restores: writes fail with DATABASE_UNAVAILABLE
 * and, once one batch found the database down, fail at once instead of each batch waiting out the
 * pool's connection timeout; after the outage writes are stored again.
 */
class GroupCommitWriterOutageTest {

    @Test
    void writesFailFastDuringAnOutageAndResumeAfter() throws Exception {
        String base = GroupCommitWriterPostgresTest.BASE;
        try (Connection c = DriverManager.getConnection(base)) {
            c.isValid(2);
        } catch (Exception e) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("PostgreSQL unreachable with CI=true");
            }
            System.err.println("POSTGRESQL UNREACHABLE: writer outage test SKIPPED");
            Assumptions.abort("PostgreSQL unreachable");
        }
        URI target = URI.create(base.substring("jdbc:".length()));
        String schema = "gr_outage_" + UUID.randomUUID().toString().substring(0, 8);
        try (CuttableProxy proxy = new CuttableProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort())) {
            String proxied = base.replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + proxy.port());
            Database db = Database.open(DatabaseUrl.parse(proxied + (proxied.contains("?") ? "&" : "?")
                    + "currentSchema=" + schema), 2);
            List<MessageDto> committed = new CopyOnWriteArrayList<>();
            GroupCommitWriter writer = new GroupCommitWriter(db, GroupCommitWriterTest.listener(committed), 50, 10_000);
            try {
                long[] ids = GroupCommitWriterTest.roomAndSession(db);
                writer.start();
                writer.submit(GroupCommitWriterTest.write(ids[0], ids[1], 0)).get(10, TimeUnit.SECONDS);

                proxy.cut();
                // Let the pool validate its idle connections before the next borrow (it skips that for
                // 500 ms after use): a batch on a reset connection trips an assert in pgjdbc's
                // BatchResultHandler under -ea (pgjdbc #1458), which surefire enables; production
                // runs without -ea and gets the plain connection error.
                Thread.sleep(1_000);
                // The first write finds out (at worst after the pool's 3 s connection timeout).
                assertEquals(ErrorCode.DATABASE_UNAVAILABLE,
                        failure(writer.submit(GroupCommitWriterTest.write(ids[0], ids[1], 1)), 10_000));
                // The next ones do not wait for the pool again.
                long t0 = System.nanoTime();
                for (int i = 0; i < 5; i++) {
                    assertEquals(ErrorCode.DATABASE_UNAVAILABLE,
                            failure(writer.submit(GroupCommitWriterTest.write(ids[0], ids[1], 10 + i)), 10_000));
                }
                long failFastMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(failFastMs < 500, "writes during the outage waited " + failFastMs + " ms");

                proxy.restore();
                // Stored again once the pool reconnects (its retry backoff is at most a few seconds).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int n = 100;
                while (true) {
                    CompletableFuture<MessageDto> f = writer.submit(GroupCommitWriterTest.write(ids[0], ids[1], n++));
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException e) {
                        assertTrue(System.nanoTime() < deadline, "writes did not resume within 30 s");
                        Thread.sleep(200);
                    }
                }
                // Exactly the acknowledged writes are stored: two (before and after the outage).
                assertEquals(2, committed.size());
                assertEquals(2, db.dao(MessageDao.class).countInRoom(ids[0]));
            } finally {
                writer.close();
                db.close();
                try (Connection c = DriverManager.getConnection(base)) {
                    c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    private static ErrorCode failure(CompletableFuture<MessageDto> f, long timeoutMs) throws Exception {
        try {
            f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause() instanceof GhostRoomsException g ? g.code() : null;
        }
        return null;
    }

    /** A loopback TCP proxy: cut() resets every connection and refuses new ones until restore(). */
    static final class CuttableProxy implements AutoCloseable {
        private final String host;
        private final int targetPort;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile ServerSocket server;
        private final int port;

        CuttableProxy(String host, int targetPort) throws IOException {
            this.host = host;
            this.targetPort = targetPort;
            this.server = listen(0);
            this.port = server.getLocalPort();
        }

        int port() {
            return port;
        }

        private ServerSocket listen(int p) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", p));
            Thread t = new Thread(() -> accept(s), "proxy-accept");
            t.setDaemon(true);
            t.start();
            return s;
        }

        private void accept(ServerSocket s) {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(host, targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // cut or closed by either side
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        void cut() {
            closeQuietly(server);
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        }

        void restore() throws IOException {
            server = listen(port);
        }

        @Override
        public void close() {
            cut();
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
