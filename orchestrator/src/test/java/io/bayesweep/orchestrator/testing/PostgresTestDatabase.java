package io.bayesweep.orchestrator.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh database on the real PostgreSQL server, dropped on close. The server is
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user postgres with trust authentication, unless the system
 * property or environment variable {@code BAYESWEEP_TEST_POSTGRES_URL} (with _USER, _PASSWORD) says otherwise.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    private final String name;

    private PostgresTestDatabase(String name) {
        this.name = name;
    }

    public static PostgresTestDatabase create() {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String name = "bayesweep_it_" + HexFormat.of().formatHex(random);
        execute("CREATE DATABASE " + name);
        return new PostgresTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        String admin = adminUrl();
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    public static String username() {
        return setting("BAYESWEEP_TEST_POSTGRES_USER", "postgres");
    }

    public static String password() {
        return setting("BAYESWEEP_TEST_POSTGRES_PASSWORD", "");
    }

    @Override
    public void close() {
        // FORCE: a pool that has not closed yet must not keep the database alive.
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static String adminUrl() {
        return setting("BAYESWEEP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    private static void execute(String sql) {
        // The driver itself, not DriverManager: a test resource of a @TestProfile class starts in a class loader
        // that DriverManager refuses to hand the registered driver to ("No suitable driver").
        Properties credentials = new Properties();
        credentials.setProperty("user", username());
        if (password() != null) {
            credentials.setProperty("password", password());
        }
        try (Connection c = connect(credentials); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + adminUrl() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Properties credentials) throws SQLException {
        Connection c = new org.postgresql.Driver().connect(adminUrl(), credentials);
        if (c == null) {
            throw new SQLException("not a jdbc:postgresql: URL");
        }
        return c;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
