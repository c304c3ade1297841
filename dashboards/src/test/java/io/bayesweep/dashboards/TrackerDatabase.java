package io.bayesweep.dashboards;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database with the tracker schema, made by the orchestrator's own Flyway migrations, dropped on
 * close. The server is {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user postgres with trust authentication,
 * unless {@code BAYESWEEP_TEST_POSTGRES_URL} (with _USER, _PASSWORD), as a system property or environment
 * variable, says otherwise: the same settings as the orchestrator's PostgreSQL tests.
 */
public final class TrackerDatabase implements AutoCloseable {

    private final String name;

    private TrackerDatabase(String name) {
        this.name = name;
    }

    /** Creates the database and applies every migration of {@code migrationsDir}. */
    public static TrackerDatabase create(Path migrationsDir) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        TrackerDatabase database = new TrackerDatabase("bayesweep_dash_" + HexFormat.of().formatHex(random));
        admin("CREATE DATABASE " + database.name);
        try {
            Flyway.configure(TrackerDatabase.class.getClassLoader())
                    .dataSource(database.jdbcUrl(), username(), password())
                    .locations("filesystem:" + migrationsDir.toAbsolutePath())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            database.close();
            throw new AssertionError("the migrations of " + migrationsDir + " failed on PostgreSQL: "
                    + e.getMessage(), e);
        }
        return database;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        String admin = adminUrl();
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(), password());
    }

    @Override
    public void close() {
        // FORCE: a connection left open must not keep the database alive.
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String username() {
        return setting("BAYESWEEP_TEST_POSTGRES_USER", "postgres");
    }

    public static String password() {
        return setting("BAYESWEEP_TEST_POSTGRES_PASSWORD", "");
    }

    private static String adminUrl() {
        return setting("BAYESWEEP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(), username(), password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + adminUrl() + " as " + username() + " (" + sql + "): "
                    + e.getMessage() + ". The dashboards' SQL is checked on a real PostgreSQL 15+: start one on "
                    + "127.0.0.1:5432 with trust authentication for user postgres, or set "
                    + "BAYESWEEP_TEST_POSTGRES_URL/_USER/_PASSWORD.", e);
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
