package io.ghostrooms.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DUFS-compatible HTTP file server: PUT, GET and DELETE by name under FILE_SERVER_URL. Clients get
 * URLs on this server (PUBLIC_URL/api/files/:name), which proxy the file server.
 */
public final class HttpFileStore implements FileStore {
    private static final Logger log = LoggerFactory.getLogger(HttpFileStore.class);
    private final URI base;
    private final String publicUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpFileStore(URI base, String publicUrl) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.publicUrl = publicUrl;
    }

    private URI uriOf(String storedName) throws IOException {
        if (storedName == null || !LocalFileStore.STORED_NAME.matcher(storedName).matches()) {
            throw new IOException("invalid name");
        }
        return base.resolve(storedName);
    }

    @Override
    public void put(String storedName, Path source, String contentType) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uriOf(storedName)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofFile(source)).build();
        int status = send(request);
        if (status < 200 || status >= 300) {
            delete(storedName);
            throw new IOException("file server answered " + status);
        }
    }

    @Override
    public InputStream open(String storedName) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uriOf(storedName)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 404) {
                response.body().close();
                return null;
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void delete(String storedName) {
        try {
            int status = send(HttpRequest.newBuilder(uriOf(storedName)).timeout(Duration.ofSeconds(10)).DELETE().build());
            if (status >= 300 && status != 404) {
                log.warn("file server refused a delete ({})", status);
            }
        } catch (IOException e) {
            log.warn("file server delete failed ({})", e.getClass().getSimpleName());
        }
    }

    @Override
    public Set<String> list() {
        return Set.of();
    }

    @Override
    public String urlOf(String storedName) {
        return publicUrl + "/api/files/" + storedName;
    }


    private int send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
