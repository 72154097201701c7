package io.ghostrooms.server;

import io.ghostrooms.persistence.Database;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Counts the statements Jdbi runs on a database from now on, for tests that pin "answered from memory".
 * Plain-JDBC DAOs (MembershipDao, MessageBatchDao) bypass Jdbi's logger and are not counted.
 */
public final class JdbiStatements {
    private JdbiStatements() {
    }

    public static AtomicInteger count(Database database) {
        AtomicInteger statements = new AtomicInteger();
        database.jdbi().getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        return statements;
    }
}
