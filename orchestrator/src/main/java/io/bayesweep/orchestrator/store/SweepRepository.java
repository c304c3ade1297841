package io.bayesweep.orchestrator.store;

import io.bayesweep.orchestrator.trials.SweepState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code sweeps} table. */
public final class SweepRepository {

    private static final String COLUMNS = "id, name, description, method, state, cancel_requested, spec_text, seed, "
            + "metric_name, metric_goal, created_at, updated_at, finished_at";

    SweepRepository() {
    }

    public void insert(Connection c, SweepRecord sweep) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sweeps (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, sweep.id());
            s.setString(2, sweep.name());
            s.setString(3, sweep.description());
            s.setString(4, sweep.method());
            s.setString(5, sweep.state().name());
            s.setBoolean(6, sweep.cancelRequested());
            s.setString(7, sweep.specText());
            s.setLong(8, sweep.seed());
            s.setString(9, sweep.metricName());
            s.setString(10, sweep.metricGoal());
            Timestamps.set(s, 11, sweep.createdAt());
            Timestamps.set(s, 12, sweep.updatedAt());
            Timestamps.set(s, 13, sweep.finishedAt());
            s.executeUpdate();
        }
    }

    public Optional<SweepRecord> find(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM sweeps WHERE id = ?", id);
    }

    /** Locks the sweep row until the transaction ends: every change to a sweep's trials takes this lock first. */
    public Optional<SweepRecord> lock(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM sweeps WHERE id = ? FOR UPDATE", id);
    }

    /** Newest first. */
    public List<SweepRecord> listNewestFirst(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM sweeps ORDER BY created_at DESC, id DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<SweepRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        }
    }

    public void requestCancel(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sweeps SET cancel_requested = TRUE, updated_at = ? WHERE id = ?")) {
            Timestamps.set(s, 1, Timestamps.now());
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    public void finish(Connection c, String id, SweepState state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sweeps SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?")) {
            var now = Timestamps.now();
            s.setString(1, state.name());
            Timestamps.set(s, 2, now);
            Timestamps.set(s, 3, now);
            s.setString(4, id);
            s.executeUpdate();
        }
    }

    private Optional<SweepRecord> findOne(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static SweepRecord read(ResultSet rs) throws SQLException {
        return new SweepRecord(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("method"), SweepState.valueOf(rs.getString("state")), rs.getBoolean("cancel_requested"),
                rs.getString("spec_text"), rs.getLong("seed"), rs.getString("metric_name"),
                rs.getString("metric_goal"), Timestamps.get(rs, "created_at"), Timestamps.get(rs, "updated_at"),
                Timestamps.get(rs, "finished_at"));
    }
}
