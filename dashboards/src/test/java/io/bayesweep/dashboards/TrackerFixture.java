package io.bayesweep.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A small sweep in the tracker store, recent enough to fall in every dashboard's default time range: one sweep
 * ranked by fidelity (maximize) with a running trial inside a corruption window it already left once, a completed
 * trial and a pending one. The dashboards' SQL must return rows on it, not merely parse.
 */
public final class TrackerFixture {

    public static final String SWEEP = "sw-1a2b3c4d";
    public static final String RUNNING_TRIAL = SWEEP + "-t000";
    public static final String COMPLETED_TRIAL = SWEEP + "-t001";
    public static final String PENDING_TRIAL = SWEEP + "-t002";
    public static final String WORKER = "worker-1";

    private TrackerFixture() {
    }

    /** Values for the dashboards' variables that point at this fixture. */
    public static Map<String, String> variables() {
        return Map.of("sweep", SWEEP, "trial", RUNNING_TRIAL, "worker", WORKER,
                "orchestrator_url", "http://localhost:8080");
    }

    /** Inserts the fixture; timestamps are minutes before {@code now}. */
    public static void insert(Connection connection, Instant now) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("INSERT INTO sweeps (id, name, method, state, spec_text, seed, metric_name, metric_goal, "
                    + "created_at, updated_at) VALUES ('" + SWEEP + "', 'kl-weight', 'GRID', 'RUNNING', "
                    + "'method: grid', 0, 'fidelity', 'maximize', " + at(now, 60) + ", " + at(now, 1) + ")");
            s.executeUpdate(trial(RUNNING_TRIAL, 0, "RUNNING", 40, 100, WORKER, now));
            s.executeUpdate(trial(COMPLETED_TRIAL, 1, "COMPLETED", 100, 100, "worker-2", now));
            s.executeUpdate(trial(PENDING_TRIAL, 2, "PENDING", 0, 0, null, now));
        }
        insertMetrics(connection, RUNNING_TRIAL, 40, 0.0, now);
        insertMetrics(connection, COMPLETED_TRIAL, 100, 0.05, now);
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("INSERT INTO trial_detections (trial_id, detector, state, windows, points, last_step, "
                    + "updated_at) VALUES ('" + RUNNING_TRIAL + "', 'v1', 'CORRUPTED', "
                    + "'[{\"onset\":15,\"end\":25,\"depth\":0.21,\"duration\":10},"
                    + "{\"onset\":35,\"end\":null,\"depth\":0.3,\"duration\":5}]', 8, 40, " + at(now, 1) + ")");
            s.executeUpdate(alert(RUNNING_TRIAL, 15, "ENTERED", 20, null, 0.2, "CORRUPTED", at(now, 30)));
            s.executeUpdate(alert(RUNNING_TRIAL, 15, "EXITED", 30, 25L, 0.21, "RECOVERING", at(now, 20)));
            s.executeUpdate(alert(RUNNING_TRIAL, 35, "ENTERED", 40, null, 0.3, "CORRUPTED", at(now, 5)));
        }
    }

    /** Eval points every 5 steps, one a minute, ending a minute before {@code now}. */
    private static void insertMetrics(Connection connection, String trial, int lastStep, double offset, Instant now)
            throws SQLException {
        try (PreparedStatement step = connection.prepareStatement(
                "INSERT INTO metric_steps (trial_id, step, attempt, worker, recorded_at) VALUES (?, ?, 1, ?, ?)");
             PreparedStatement value = connection.prepareStatement(
                     "INSERT INTO metric_values (trial_id, step, name, \"value\") VALUES (?, ?, ?, ?)")) {
            for (int s = 5; s <= lastStep; s += 5) {
                step.setString(1, trial);
                step.setLong(2, s);
                step.setString(3, WORKER);
                step.setObject(4, OffsetDateTime.ofInstant(now.minus(1 + (lastStep - s) / 5, ChronoUnit.MINUTES),
                        ZoneOffset.UTC));
                step.executeUpdate();
                Map<String, Double> values = Map.of("fidelity", 0.8 + offset + s / 1000.0, "noise", 0.05,
                        "diversity", 0.3, "loss", 0.1 - s / 2000.0, "kl", 0.01, "memorization", 0.2,
                        "sigma1", 0.4);
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    value.setString(1, trial);
                    value.setLong(2, s);
                    value.setString(3, e.getKey());
                    value.setDouble(4, e.getValue());
                    value.executeUpdate();
                }
            }
        }
    }

    private static String trial(String id, int idx, String state, long step, long total, String worker,
                                Instant now) {
        return "INSERT INTO trials (id, sweep_id, idx, params, state, attempt, step, total_steps, worker, "
                + "created_at, started_at, updated_at) VALUES ('" + id + "', '" + SWEEP + "', " + idx
                + ", '{\"kl_weight\": " + idx + "}', '" + state + "', " + (worker == null ? 0 : 1) + ", " + step
                + ", " + total + ", " + (worker == null ? "NULL" : "'" + worker + "'") + ", " + at(now, 60)
                + ", " + (worker == null ? "NULL" : at(now, 50)) + ", " + at(now, 1) + ")";
    }

    private static String alert(String trial, long onset, String kind, long step, Long end, double depth,
                                String state, String createdAt) {
        return "INSERT INTO corruption_alerts (trial_id, detector, onset, kind, sweep_id, step, end_step, depth, "
                + "state, created_at, published_at) VALUES ('" + trial + "', 'v1', " + onset + ", '" + kind + "', '"
                + SWEEP + "', " + step + ", " + (end == null ? "NULL" : end) + ", " + depth + ", '" + state + "', "
                + createdAt + ", " + createdAt + ")";
    }

    private static String at(Instant now, long minutesAgo) {
        return "TIMESTAMP WITH TIME ZONE '" + now.minus(minutesAgo, ChronoUnit.MINUTES) + "'";
    }
}
