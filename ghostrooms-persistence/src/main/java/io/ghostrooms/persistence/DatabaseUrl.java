package io.ghostrooms.persistence;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A JDBC URL with its credentials apart, parsed from DATABASE_URL: absent means embedded H2;
 * the seed's {@code postgresql://user:pass@host:port/db?schema=public} and {@code jdbc:postgresql://…}
 * mean PostgreSQL; {@code jdbc:h2:…} is accepted for tests. Error messages never repeat the URL,
 * since it may hold a password.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, String schema, boolean embedded) {

    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            return embeddedH2();
        }
        String url = value.trim();
        if (url.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(url, "sa", "", null, true);
        }
        if (url.startsWith("jdbc:postgresql://")) {
            Map<String, String> query = query(url);
            return new DatabaseUrl(url, query.get("user"), query.get("password"), query.get("currentSchema"), false);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return fromSeedForm(url);
        }
        throw new IllegalArgumentException(
                "DATABASE_URL must start with postgresql://, postgres://, jdbc:postgresql:// or jdbc:h2:");
    }

    public static DatabaseUrl embeddedH2() {
        String name = "ghostrooms-" + UUID.randomUUID();
        return new DatabaseUrl("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa", "", null, true);
    }

    private static DatabaseUrl fromSeedForm(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("DATABASE_URL needs a host and a database name");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        Map<String, String> query = query(url);
        String schema = query.remove("schema");
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath());
        String separator = "?";
        if (schema != null) {
            jdbc.append(separator).append("currentSchema=").append(schema);
            separator = "&";
        }
        for (Map.Entry<String, String> e : query.entrySet()) {
            jdbc.append(separator).append(e.getKey()).append('=').append(e.getValue());
            separator = "&";
        }
        return new DatabaseUrl(jdbc.toString(), user, password, schema, false);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> result = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return result;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String val = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(decode(key), decode(val));
        }
        return result;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return embedded ? "embedded H2" : "PostgreSQL";
    }
}
