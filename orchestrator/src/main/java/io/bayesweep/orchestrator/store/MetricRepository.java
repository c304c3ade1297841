package io.bayesweep.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metric_steps} and {@code metric_values}: one row per eval step, one row per metric value (long format,
 * so that a Grafana PostgreSQL panel can plot any metric by name).
 */
public final class MetricRepository {

    MetricRepository() {
    }

    /**
     * Stores one eval step, at most once: a replayed (trial, step) inserts nothing.
     *
     * @return false when the step was stored before
     */
    public boolean insertStep(Connection c, String trialId, long step, int attempt, String worker,
                              Map<String, Double> metrics) throws SQLException {
        boolean inserted;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO metric_steps (trial_id, step, attempt, worker, "
                + "recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, trialId);
            s.setLong(2, step);
            s.setInt(3, attempt);
            s.setString(4, worker);
            Timestamps.set(s, 5, Timestamps.now());
            inserted = s.executeUpdate() == 1;
        }
        if (!inserted || metrics.isEmpty()) {
            return inserted;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO metric_values (trial_id, step, name, \"value\") VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Double> metric : metrics.entrySet()) {
                s.setString(1, trialId);
                s.setLong(2, step);
                s.setString(3, metric.getKey());
                s.setDouble(4, metric.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
        return true;
    }

    /** Every stored step of a trial, by step. */
    public List<MetricStep> history(Connection c, String trialId) throws SQLException {
        return history(c, trialId, List.of());
    }

    /**
     * Every stored step of a trial, by step, with only the named metrics (all of them when {@code names} is empty);
     * a step with none of them is there with no metrics.
     */
    public List<MetricStep> history(Connection c, String trialId, Collection<String> names) throws SQLException {
        String only = names.isEmpty() ? ""
                : " AND v.name IN (" + InLists.marks(names.size()) + ")";
        try (PreparedStatement s = c.prepareStatement("SELECT s.step, s.attempt, s.worker, v.name, v.\"value\" "
                + "FROM metric_steps s LEFT JOIN metric_values v ON v.trial_id = s.trial_id AND v.step = s.step" + only
                + " WHERE s.trial_id = ? ORDER BY s.step, v.name")) {
            int i = 1;
            for (String name : names) {
                s.setString(i++, name);
            }
            s.setString(i, trialId);
            try (ResultSet rs = s.executeQuery()) {
                List<MetricStep> out = new ArrayList<>();
                MetricStep current = null;
                while (rs.next()) {
                    long step = rs.getLong(1);
                    if (current == null || current.step() != step) {
                        current = new MetricStep(step, rs.getInt(2), rs.getString(3), new LinkedHashMap<>());
                        out.add(current);
                    }
                    String name = rs.getString(4);
                    if (name != null) {
                        current.metrics().put(name, rs.getDouble(5));
                    }
                }
                return out;
            }
        }
    }

    /** The latest value of each metric of each trial of a sweep: trial id to metric name to value. */
    public Map<String, Map<String, Double>> latestOfSweep(Connection c, String sweepId) throws SQLException {
        return latest(c, "SELECT trial_id FROM trials WHERE sweep_id = ?", sweepId);
    }

    /** The latest value of each metric of one trial. */
    public Map<String, Double> latestOfTrial(Connection c, String trialId) throws SQLException {
        return latest(c, "?", trialId).getOrDefault(trialId, Map.of());
    }

    private Map<String, Map<String, Double>> latest(Connection c, String trialIdsSql, String param)
            throws SQLException {
        // Per name, not per step: a metric evaluated less often than others still shows its last value.
        try (PreparedStatement s = c.prepareStatement("SELECT v.trial_id, v.name, v.\"value\" FROM metric_values v "
                + "JOIN (SELECT trial_id, name, MAX(step) AS step FROM metric_values WHERE trial_id IN (" + trialIdsSql
                + ") GROUP BY trial_id, name) m ON v.trial_id = m.trial_id AND v.name = m.name AND v.step = m.step")) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                Map<String, Map<String, Double>> out = new HashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), id -> new TreeMap<>()).put(rs.getString(2), rs.getDouble(3));
                }
                return out;
            }
        }
    }

    /** A metric's latest value and the eval step it is from. */
    public record StepValue(long step, double value) {
    }

    /** A trial's newest stored eval step and when the latest of its steps was stored. */
    public record LastStep(long step, OffsetDateTime recordedAt) {
    }

    /**
     * The latest value of each of the named metrics of each of the trials, with its step: trial id to metric name to
     * value. Per name, as {@link #latestOfTrial}.
     */
    public Map<String, Map<String, StepValue>> latestOfTrials(Connection c, Collection<String> trialIds,
                                                              Collection<String> names) throws SQLException {
        Map<String, Map<String, StepValue>> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        for (List<String> chunk : InLists.chunks(trialIds)) {
            try (PreparedStatement s = c.prepareStatement("SELECT v.trial_id, v.name, v.step, v.\"value\" "
                    + "FROM metric_values v JOIN (SELECT trial_id, name, MAX(step) AS step FROM metric_values "
                    + "WHERE trial_id IN (" + InLists.marks(chunk.size()) + ") AND name IN ("
                    + InLists.marks(names.size()) + ") GROUP BY trial_id, name) m "
                    + "ON v.trial_id = m.trial_id AND v.name = m.name AND v.step = m.step")) {
                InLists.bind(s, InLists.bind(s, 1, chunk), names);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), id -> new TreeMap<>())
                                .put(rs.getString(2), new StepValue(rs.getLong(3), rs.getDouble(4)));
                    }
                }
            }
        }
        return out;
    }

    /** The newest stored eval step of each of the trials that has one. */
    public Map<String, LastStep> lastSteps(Connection c, Collection<String> trialIds) throws SQLException {
        Map<String, LastStep> out = new HashMap<>();
        for (List<String> chunk : InLists.chunks(trialIds)) {
            try (PreparedStatement s = c.prepareStatement("SELECT trial_id, MAX(step), MAX(recorded_at) AS recorded_at "
                    + "FROM metric_steps WHERE trial_id IN (" + InLists.marks(chunk.size()) + ") GROUP BY trial_id")) {
                InLists.bind(s, 1, chunk);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new LastStep(rs.getLong(2), Timestamps.get(rs, "recorded_at")));
                    }
                }
            }
        }
        return out;
    }

    /** How many metric steps a trial has; for tests and diagnostics. */
    public int countSteps(Connection c, String trialId) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM metric_steps WHERE trial_id = ?", trialId);
    }

    /** How many metric values a trial has; for tests and diagnostics. */
    public int countValues(Connection c, String trialId) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM metric_values WHERE trial_id = ?", trialId);
    }

    private static int count(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
