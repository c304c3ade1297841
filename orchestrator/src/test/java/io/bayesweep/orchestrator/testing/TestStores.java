package io.bayesweep.orchestrator.testing;

import io.bayesweep.orchestrator.store.StoreSettings;
import io.bayesweep.orchestrator.store.TrackerStore;

import java.util.UUID;

/** The two databases the tracker store must work on, each opened fresh and migrated. */
public enum TestStores {
    H2, POSTGRESQL;

    /** A store on a new, empty database; closing it drops the database. */
    public OpenedStore open() {
        if (this == H2) {
            String url = StoreSettings.inMemoryH2Url("bayesweep_" + UUID.randomUUID().toString().replace("-", ""));
            StoreSettings settings = new StoreSettings(url, "sa", "", 4);
            return new OpenedStore(TrackerStore.open(settings), settings, () -> shutdownH2(url));
        }
        PostgresTestDatabase database = PostgresTestDatabase.create();
        try {
            StoreSettings settings = new StoreSettings(database.jdbcUrl(), PostgresTestDatabase.username(),
                    PostgresTestDatabase.password(), 4);
            return new OpenedStore(TrackerStore.open(settings), settings, database::close);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static void shutdownH2(String url) {
        try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public record OpenedStore(TrackerStore store, StoreSettings settings, Runnable dropDatabase) implements AutoCloseable {
        @Override
        public void close() {
            try {
                store.close();
            } finally {
                dropDatabase.run();
            }
        }
    }
}
