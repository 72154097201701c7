package io.ghostrooms.server.files;

import io.ghostrooms.server.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** A real nginx with WebDAV PUT/DELETE on a free loopback port: the stand-in for DUFS. */
final class NginxDav implements AutoCloseable {
    final Path root;
    final Path data;
    final int port;
    private final Process process;

    private NginxDav(Path root, int port, Process process) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.process = process;
    }

    static NginxDav start() throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(binary)) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("nginx is required for the HTTP file-store tests with CI=true");
            }
            System.err.println("NGINX NOT FOUND: HTTP file-store tests SKIPPED");
            Assumptions.abort("nginx not installed");
        }
        Path root = Files.createTempDirectory("gr-nginx");
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("body"));
        root.toFile().setWritable(true, false);
        root.resolve("data").toFile().setWritable(true, false);
        root.resolve("body").toFile().setWritable(true, false);
        int port = TestServer.freePort();
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + "daemon off;\nworker_processes 1;\npid " + root.resolve("nginx.pid") + ";\n"
                + "error_log " + root.resolve("error.log") + ";\nevents { worker_connections 64; }\n"
                + "http {\n access_log off;\n client_body_temp_path " + root.resolve("body") + ";\n"
                + " proxy_temp_path " + root.resolve("body") + ";\n fastcgi_temp_path " + root.resolve("body") + ";\n"
                + " uwsgi_temp_path " + root.resolve("body") + ";\n scgi_temp_path " + root.resolve("body") + ";\n"
                + " server {\n  listen 127.0.0.1:" + port + ";\n  root " + root.resolve("data") + ";\n"
                + "  client_max_body_size 100m;\n  location / { dav_methods PUT DELETE; create_full_put_path on; }\n }\n}\n";
        Path confFile = root.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process process = new ProcessBuilder(binary.toString(), "-p", root.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new NginxDav(root, port, process);
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited: " + Files.readString(root.resolve("stdout.log")));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("nginx did not start");
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
