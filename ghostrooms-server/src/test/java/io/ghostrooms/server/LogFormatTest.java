package io.ghostrooms.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.StatusPrinter2;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml in both LOG_FORMATs, each in a LoggerContext of its own (the value Main
 * sets as a system property is given here as a context property, which logback resolves first, so
 * the JVM's own logging is untouched): the same levels for every configured logger, LOG_LEVEL for
 * the root, the text pattern of today, logback's JsonEncoder writing one object per line, and no
 * warning in logback's status (which it would print on the console at startup).
 */
class LogFormatTest {
    private static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

    private static LoggerContext configure(String format, String logLevel) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        if (format != null) {
            context.putProperty(Main.LOG_FORMAT_PROPERTY, format);
        }
        if (logLevel != null) {
            context.putProperty("LOG_LEVEL", logLevel);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource("logback.xml"));
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() > Status.INFO).toList();
        if (!problems.isEmpty()) {
            new StatusPrinter2().print(context);
        }
        assertEquals(List.of(), problems, "logback status warnings or errors for format " + format);
        return context;
    }

    /** Every logger with a level of its own in the configuration, by name. */
    private static Map<String, Level> levels(LoggerContext context) {
        Map<String, Level> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger.getName(), logger.getLevel());
            }
        }
        return levels;
    }

    private static ConsoleAppender<?> out(LoggerContext context) {
        return assertInstanceOf(ConsoleAppender.class, context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OUT"));
    }

    @Test
    void bothFormatsKeepTheSameLevels() throws JoranException {
        Map<String, Level> text = levels(configure("text", null));
        Map<String, Level> json = levels(configure("json", null));
        assertEquals(text, json);
        assertEquals(Level.OFF, text.get("com.corundumstudio"));
        assertEquals(Level.WARN, text.get("com.zaxxer.hikari"));
        assertEquals(Level.ERROR, text.get("com.zaxxer.hikari.pool.ProxyConnection"));
        assertEquals(Level.WARN, text.get("org.flywaydb"));
        assertEquals(Level.WARN, text.get("io.netty"));
        assertEquals(Level.INFO, text.get(Logger.ROOT_LOGGER_NAME));
    }

    @Test
    void logLevelSetsTheRootInBothFormats() throws JoranException {
        for (String format : new String[] {"text", "json"}) {
            LoggerContext context = configure(format, "DEBUG");
            assertEquals(Level.DEBUG, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel(), format);
            // netty-socketio stays silent whatever LOG_LEVEL says
            assertEquals(Level.OFF, context.getLogger("com.corundumstudio").getLevel(), format);
        }
    }

    @Test
    void textIsTheDefaultWithTodaysPattern() throws JoranException {
        for (String format : new String[] {null, "text"}) {
            PatternLayoutEncoder encoder = assertInstanceOf(PatternLayoutEncoder.class, out(configure(format, null)).getEncoder());
            assertEquals(TEXT_PATTERN, encoder.getPattern());
        }
    }

    @Test
    void jsonWritesOneObjectPerLine() throws Exception {
        LoggerContext context = configure("json", null);
        JsonEncoder encoder = assertInstanceOf(JsonEncoder.class, out(context).getEncoder());
        Logger logger = context.getLogger("io.ghostrooms.server.Example");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "closed {} sockets\nafter \"{}\"", null, new Object[] {3, "drain"});
        byte[] header = encoder.headerBytes();
        assertTrue(header == null || header.length == 0, "no header before the first line");
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\n"), line);
        assertFalse(line.substring(0, line.length() - 1).contains("\n"), "one line: " + line);
        JsonNode node = new ObjectMapper().readTree(line);
        assertEquals("WARN", node.get("level").asText());
        assertEquals("io.ghostrooms.server.Example", node.get("loggerName").asText());
        assertEquals("closed {} sockets\nafter \"{}\"", node.get("message").asText());
        assertEquals("closed 3 sockets\nafter \"drain\"", node.get("formattedMessage").asText());
        assertTrue(node.get("timestamp").isNumber());
        // trimmed on purpose: no context block, sequence number, nanoseconds or raw argument array
        assertFalse(node.has("context") || node.has("sequenceNumber") || node.has("nanoseconds") || node.has("arguments"), line);
    }
}
