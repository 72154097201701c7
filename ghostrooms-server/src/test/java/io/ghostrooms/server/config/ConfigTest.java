package io.ghostrooms.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsAreTheSeeds() {
        Config c = Config.from(Map.of());
        assertEquals(3000, c.port());
        assertTrue(c.database().embedded());
        assertEquals(24, c.roomTtlHours());
        assertEquals(50, c.roomMaxCapacity());
        assertEquals(10, c.rateLimitMessagesPerMinute());
        assertEquals(20, c.rateLimitRoomCreatePerHour());
        assertEquals(2000, c.maxMessageLength());
        assertEquals(10, c.maxFileSizeMb());
        assertNull(c.fileServerUrl());
        assertEquals("http://localhost:3000", c.publicUrl());
    }

    @Test
    void metricsShareThePortAndAnswerLoopbackOnlyUnlessToldOtherwise() {
        Config c = Config.from(Map.of());
        assertFalse(c.metricsOnOwnPort());
        assertFalse(c.metricsPublic());
        Config own = Config.from(Map.of("METRICS_PORT", "9464", "METRICS_PUBLIC", "true"));
        assertTrue(own.metricsOnOwnPort());
        assertEquals(9464, own.metricsPort());
        assertTrue(own.metricsPublic());
        ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of("METRICS_PUBLIC", "maybe")));
        assertTrue(e.getMessage().contains("METRICS_PUBLIC"));
    }

    @Test
    void logsAreTextUnlessJsonIsAsked() {
        assertEquals(Config.LogFormat.TEXT, Config.from(Map.of()).logFormat());
        assertEquals(Config.LogFormat.JSON, Config.from(Map.of("LOG_FORMAT", "JSON")).logFormat());
        ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of("LOG_FORMAT", "xml")));
        assertTrue(e.getMessage().contains("LOG_FORMAT"));
    }

    @Test
    void messagesAreStoredUnlessPersistenceIsSwitchedOffForBenchmarks() {
        assertTrue(Config.from(Map.of()).persistMessages());
        assertFalse(Config.from(Map.of("MESSAGE_PERSISTENCE", "off")).persistMessages());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.from(Map.of("MESSAGE_PERSISTENCE", "memory")));
        assertTrue(e.getMessage().contains("MESSAGE_PERSISTENCE"));
    }

    @Test
    void badNumberNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of("PORT", "abc")));
        assertTrue(e.getMessage().contains("PORT"));
    }

    @Test
    void outOfRangeValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of("ROOM_TTL_HOURS", "0")));
        assertTrue(e.getMessage().contains("ROOM_TTL_HOURS"));
    }

    @Test
    void badDatabaseUrlDoesNotEchoIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.from(Map.of("DATABASE_URL", "mysql://root:secret@db/x")));
        assertTrue(e.getMessage().contains("DATABASE_URL"));
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void seedFormDatabaseUrlMeansPostgres() {
        Config c = Config.from(Map.of("DATABASE_URL", "postgresql://u:p@db:5432/ghost?schema=public"));
        assertFalse(c.database().embedded());
        assertEquals("jdbc:postgresql://db:5432/ghost?currentSchema=public", c.database().jdbcUrl());
    }

    @Test
    void corsOriginIsAList() {
        Config c = Config.from(Map.of("CORS_ORIGIN", "https://a.example, https://b.example"));
        assertEquals(java.util.List.of("https://a.example", "https://b.example"), c.corsOrigins());
        assertFalse(c.allowsAnyOrigin());
    }

    @Test
    void fileServerUrlMustBeHttp() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of("FILE_SERVER_URL", "ftp://x")));
        assertTrue(e.getMessage().contains("FILE_SERVER_URL"));
    }

    @Test
    void dotEnvIsReadAndEnvironmentWins() throws Exception {
        Path env = Files.createTempFile("gr", ".env");
        Files.writeString(env, "# comment\nPORT=4000\nROOM_MAX_CAPACITY=\"12\"\nexport MAX_MESSAGE_LENGTH=500\n");
        Config c = Config.load(Map.of("PORT", "5000"), env);
        assertEquals(5000, c.port());
        assertEquals(12, c.roomMaxCapacity());
        assertEquals(500, c.maxMessageLength());
    }

    @Test
    void fractionalTtlIsKept() {
        assertEquals(900_000, Config.from(Map.of("ROOM_TTL_HOURS", "0.25")).roomTtl().toMillis());
    }
}
