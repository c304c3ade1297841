package io.bayesweep.orchestrator.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration.TransactionIsolation;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The tracker store: sweeps, trials, every metric point, the corruption detector's verdicts and alerts, and the
 * alerts Alertmanager delivered. Plain
 * JDBC on a pool built from the runtime URL (not Quarkus's build-time datasource), so that one jar serves the
 * embedded H2 default and PostgreSQL.
 */
public final class TrackerStore implements AutoCloseable {

    private final AgroalDataSource dataSource;
    private final SweepRepository sweeps = new SweepRepository();
    private final TrialRepository trials = new TrialRepository();
    private final MetricRepository metrics = new MetricRepository();
    private final DetectionRepository detections = new DetectionRepository();
    private final ReceivedAlertRepository receivedAlerts = new ReceivedAlertRepository();

    private TrackerStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and brings the schema up to date. */
    public static TrackerStore open(StoreSettings settings) {
        AgroalDataSource dataSource = createPool(settings);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new TrackerStore(dataSource);
    }

    private static AgroalDataSource createPool(StoreSettings settings) {
        var config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(settings.maxConnections())
                        .minSize(0)
                        .initialSize(0)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .validationTimeout(Duration.ofSeconds(30))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(settings.jdbcUrl())
                                // Named explicitly: DriverManager's discovery does not see drivers in every class loader.
                                .connectionProviderClass(settings.driverClass())
                                .principal(settings.username() == null ? null : new NamePrincipal(settings.username()))
                                .credential(new SimplePassword(settings.password() == null ? "" : settings.password()))
                                .jdbcTransactionIsolation(TransactionIsolation.READ_COMMITTED)
                                .autoCommit(true)));
        try {
            return AgroalDataSource.from(config);
        } catch (SQLException e) {
            throw new StoreException("cannot create the connection pool for " + settings.jdbcUrl(), e);
        }
    }

    private static void migrate(AgroalDataSource dataSource) {
        Flyway.configure(TrackerStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public SweepRepository sweeps() {
        return sweeps;
    }

    public TrialRepository trials() {
        return trials;
    }

    public MetricRepository metrics() {
        return metrics;
    }

    public DetectionRepository detections() {
        return detections;
    }

    public ReceivedAlertRepository receivedAlerts() {
        return receivedAlerts;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("tracker store", e);
        }
    }

    /** Runs read-only work with auto-commit. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("tracker store", e);
        }
    }

    /** For the readiness check: a connection that answers within the timeout. */
    public boolean isReachable(Duration timeout) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
