package io.bayesweep.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the orchestrator's tracker store at a fresh PostgreSQL database for the run, dropped at the end. */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private PostgresTestDatabase database;

    @Override
    public Map<String, String> start() {
        database = PostgresTestDatabase.create();
        return Map.of("bayesweep.store.jdbc-url", database.jdbcUrl(),
                "bayesweep.store.username", PostgresTestDatabase.username(),
                "bayesweep.store.password", PostgresTestDatabase.password());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
