package io.ghostrooms.persistence;

import java.sql.SQLException;

/** A statement of a plain-JDBC DAO failed; the SQLException (with its SQLState) is the cause, as with Jdbi's own. */
public final class StatementFailedException extends RuntimeException {
    public StatementFailedException(SQLException cause) {
        super("statement failed", cause);
    }
}
