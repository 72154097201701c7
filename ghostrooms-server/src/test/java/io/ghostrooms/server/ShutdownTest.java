package io.ghostrooms.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing (what SIGTERM runs) takes no new connections while it drains the open ones. */
class ShutdownTest {

    @Test
    void connectionsOpenedWhileClosingGetNoAnswer() throws Exception {
        TestServer server = new TestServer();
        int port = server.server().port();
        assertTrue(answers(port), "the server answers before close");
        Thread closer = new Thread(server::close, "closer");
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.server().draining()) {
            assertTrue(System.nanoTime() < deadline, "close did not start");
            Thread.onSpinWait();
        }
        int tried = 0;
        int answered = 0;
        while (closer.isAlive()) {
            tried++;
            if (answers(port)) {
                answered++;
            }
        }
        closer.join();
        System.out.printf("shutdown: %d connection attempts while closing, %d answered%n", tried, answered);
        assertEquals(0, answered, "connections accepted and answered after close began");
    }

    /** True when a new connection gets an HTTP answer to GET /health. */
    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(8);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
        } catch (IOException refusedOrClosed) {
            return false;
        }
    }
}
