package io.ghostrooms.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Test
    void nullMeansEmbeddedH2() {
        DatabaseUrl url = DatabaseUrl.parse(null);
        assertTrue(url.embedded());
        assertTrue(url.jdbcUrl().startsWith("jdbc:h2:mem:"), url.jdbcUrl());
    }

    @Test
    void blankMeansEmbeddedH2() {
        assertTrue(DatabaseUrl.parse("   ").embedded());
    }

    @Test
    void embeddedH2RunsInPostgreSqlMode() {
        assertTrue(DatabaseUrl.embeddedH2().jdbcUrl().contains(";MODE=PostgreSQL"));
    }

    @Test
    void eachEmbeddedH2IsASeparateDatabase() {
        assertNotEquals(DatabaseUrl.embeddedH2().jdbcUrl(), DatabaseUrl.embeddedH2().jdbcUrl());
    }

    @Test
    void seedFormBecomesJdbcUrlWithSchemaAsCurrentSchema() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://user:pa%40ss@host:5433/db?schema=public");
        assertEquals("jdbc:postgresql://host:5433/db?currentSchema=public", url.jdbcUrl());
    }

    @Test
    void seedFormSeparatesAndDecodesCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://user:pa%40ss@host:5433/db?schema=public");
        assertEquals("user", url.user());
        assertEquals("pa@ss", url.password());
    }

    @Test
    void seedFormExposesSchemaAndIsNotEmbedded() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://user:pw@host:5433/db?schema=public");
        assertEquals("public", url.schema());
        assertFalse(url.embedded());
    }

    @Test
    void seedFormKeepsOtherQueryParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@host:5432/db?schema=app&sslmode=require");
        assertEquals("jdbc:postgresql://host:5432/db?currentSchema=app&sslmode=require", url.jdbcUrl());
    }

    @Test
    void seedFormWithoutPortOrCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db");
        assertEquals("jdbc:postgresql://host/db", url.jdbcUrl());
        assertNull(url.user());
        assertNull(url.password());
        assertNull(url.schema());
    }

    @Test
    void postgresSchemeIsAnAliasOfPostgresql() {
        assertEquals("jdbc:postgresql://host:5432/db",
                DatabaseUrl.parse("postgres://u:p@host:5432/db").jdbcUrl());
    }

    @Test
    void jdbcPostgresqlPassesThroughUnchanged() {
        String raw = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=gr";
        assertEquals(raw, DatabaseUrl.parse(raw).jdbcUrl());
    }

    @Test
    void jdbcPostgresqlTakesUserPasswordAndSchemaFromQuery() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=alice&password=s%40cret&currentSchema=gr");
        assertEquals("alice", url.user());
        assertEquals("s@cret", url.password());
        assertEquals("gr", url.schema());
        assertFalse(url.embedded());
    }

    @Test
    void jdbcH2IsAcceptedAsEmbedded() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:h2:mem:x;MODE=PostgreSQL");
        assertTrue(url.embedded());
        assertEquals("jdbc:h2:mem:x;MODE=PostgreSQL", url.jdbcUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "mysql://root:topsecret@host/db",
            "topsecret",
            "postgresql://user:topsecret@/db",
            "postgresql://user:topsecret@host",
            "postgresql://us er:topsecret@ho st/db",
    })
    void garbageIsRejectedWithoutEchoingTheInput(String garbage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(garbage));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertFalse(e.getMessage().contains(garbage), e.getMessage());
    }

    @Test
    void toStringNeverShowsCredentials() {
        String text = DatabaseUrl.parse("postgresql://user:topsecret@host:5432/db").toString();
        assertFalse(text.contains("topsecret"), text);
        assertEquals("PostgreSQL", text);
    }
}
