package io.bayesweep.orchestrator.store;

/** Where the tracker store is. The JDBC URL picks the database: PostgreSQL, or H2 for the embedded default. */
public record StoreSettings(String jdbcUrl, String username, String password, int maxConnections) {

    public StoreSettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("bayesweep.store.jdbc-url is empty");
        }
    }

    /** The H2 URL of the embedded default, in PostgreSQL mode so that the one schema serves both. */
    public static String embeddedH2Url(String pathWithoutSuffix) {
        return "jdbc:h2:file:" + pathWithoutSuffix + h2Options();
    }

    /** An H2 in-memory database in the same mode, for tests. */
    public static String inMemoryH2Url(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + h2Options();
    }

    private static String h2Options() {
        return ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    Class<?> driverClass() {
        try {
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return Class.forName("org.postgresql.Driver");
            }
            if (jdbcUrl.startsWith("jdbc:h2:")) {
                return Class.forName("org.h2.Driver");
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JDBC driver missing for " + jdbcUrl, e);
        }
        throw new IllegalArgumentException("bayesweep.store.jdbc-url must be a jdbc:postgresql: or jdbc:h2: URL, not "
                + jdbcUrl);
    }
}
