package io.ghostrooms.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The log reader finds what it is meant to rule out, so the "nothing in PostgreSQL's log" tests
 * cannot pass by reading the wrong file or attributing lines to the wrong processes.
 */
class PostgresServerLogTest {

    @Test
    void anErrorOneOfOurBackendsCausesIsReadBackAndAttributedToIt() {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.open("gr_logtest_", 2)) {
            PostgresServerLog log = PostgresServerLog.mark();
            String canary = "gr-canary-" + UUID.randomUUID();
            assertThrows(RuntimeException.class, () -> postgres.database().jdbi().withHandle(h ->
                    h.createQuery("SELECT CAST(:v AS INTEGER)").bind("v", canary).mapTo(Integer.class).one()));
            Set<Integer> ours = postgres.backendPids();

            List<PostgresServerLog.Entry> entries = log.entriesSinceMark();

            List<PostgresServerLog.Entry> canaries = entries.stream().filter(e -> e.text().contains(canary)).toList();
            assertEquals(1, canaries.size(), "the ERROR naming the canary, once: " + entries);
            assertTrue(canaries.get(0).isError(), canaries.get(0).text());
            assertTrue(canaries.get(0).fromAnyOf(ours), "attributed to one of " + ours + ": " + canaries.get(0).text());
        }
    }

    @Test
    void continuationLinesBelongToTheirEntry() {
        List<PostgresServerLog.Entry> entries = PostgresServerLog.entries(
                "2026-12-03 17:32:54.730 UTC [5609] postgres@test ERROR:  duplicate key value\n"
                        + "2026-12-03 17:32:54.730 UTC [5609] postgres@test STATEMENT:  INSERT INTO rooms VALUES ($1)\n"
                        + "\tRETURNING \"id\"\n"
                        + "2026-12-03 17:36:45.943 UTC [2210] LOG:  checkpoint starting: time\n");
        assertEquals(3, entries.size());
        assertEquals(new PostgresServerLog.Entry("2026-12-03 17:32:54.730 UTC [5609] postgres@test ERROR:  duplicate key value",
                5609, "ERROR"), entries.get(0));
        assertTrue(entries.get(1).text().endsWith("\tRETURNING \"id\""));
        assertEquals("STATEMENT", entries.get(1).severity());
        assertEquals(2210, entries.get(2).pid());
        assertEquals("LOG", entries.get(2).severity());
    }
}
