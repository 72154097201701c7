package io.ghostrooms.server.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOServer;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every patch of this package was written against one netty-socketio release (package-info.java).
 * Upgrading it is a conscious step: this fails until the patch table has been checked against the
 * new release and {@link SocketTransport#PATCHED_NETTY_SOCKETIO} says so.
 */
class PinnedLibraryTest {
    @Test
    void theNettySocketIoOnTheClasspathIsTheOneThePatchesWereWrittenFor() throws Exception {
        Properties pom = new Properties();
        try (InputStream in = SocketIOServer.class.getResourceAsStream(
                "/META-INF/maven/com.corundumstudio.socketio/netty-socketio/pom.properties")) {
            assertNotNull(in, "netty-socketio's pom.properties");
            pom.load(in);
        }
        assertEquals(SocketTransport.PATCHED_NETTY_SOCKETIO, pom.getProperty("version"));
    }

    /**
     * SocketTransport releases the default initializer's timer through two private fields, and reads
     * the event loop groups (for their metrics) through two more.
     */
    @Test
    void thePrivateFieldsTheTransportReadsExist() {
        assertDoesNotThrow(() -> SocketIOServer.class.getDeclaredField("pipelineFactory"));
        assertDoesNotThrow(() -> SocketIOChannelInitializer.class.getDeclaredField("scheduler"));
        assertDoesNotThrow(() -> SocketIOServer.class.getDeclaredField("bossGroup"));
        assertDoesNotThrow(() -> SocketIOServer.class.getDeclaredField("workerGroup"));
    }
}
