package io.ghostrooms.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The connection pool, migrations and the Jdbi handle for one database. */
public final class Database implements AutoCloseable {
    private final DatabaseUrl url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(DatabaseUrl url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /** Opens a pool and migrates the schema. Fails fast if the database cannot be reached. */
    public static Database open(DatabaseUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        // Flyway holds two connections while it migrates: a pool of one would time out at startup.
        config.setMaximumPoolSize(Math.max(2, poolSize));
        config.setPoolName("ghostrooms-db");
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(10_000);
        if (!url.embedded()) {
            // Bounded statements: a hung database must not hold a worker forever.
            config.addDataSourceProperty("socketTimeout", "30");
            config.addDataSourceProperty("connectTimeout", "5");
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(url, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(url, dataSource);
    }

    private static void migrate(DatabaseUrl url, DataSource dataSource) {
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (url.schema() != null) {
            flyway.schemas(url.schema()).createSchemas(true);
        }
        flyway.load().migrate();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public <T> T dao(Class<T> type) {
        return jdbi.onDemand(type);
    }

    public boolean embedded() {
        return url.embedded();
    }

    /** True when a connection answers a trivial query within a second. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Connections of the pool in use now (for metrics). */
    public int activeConnections() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getActiveConnections();
    }

    /** Connections of the pool open and idle now. */
    public int idleConnections() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getIdleConnections();
    }

    /** Threads waiting for a connection now. */
    public int threadsAwaitingConnection() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getThreadsAwaitingConnection();
    }

    public String describe() {
        return url.toString();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
