package io.bayesweep.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bayesweep.messages.Json;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.TrialState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code trials} table. */
public final class TrialRepository {

    private static final String COLUMNS = "id, sweep_id, idx, params, state, attempt, lost_attempts, step, total_steps, "
            + "worker, reason, cancel_requested, requested_at, stop_published_at, created_at, started_at, finished_at, "
            + "updated_at";
    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
    };
    private static final String TERMINAL_STATES = java.util.Arrays.stream(TrialState.values())
            .filter(TrialState::isTerminal).map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    TrialRepository() {
    }

    public void insert(Connection c, TrialRecord trial) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trials (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            TrialProgress p = trial.progress();
            s.setString(1, trial.id());
            s.setString(2, trial.sweepId());
            s.setInt(3, trial.index());
            s.setString(4, writeParams(trial.params()));
            s.setString(5, p.state().name());
            s.setInt(6, p.attempt());
            s.setInt(7, p.lostAttempts());
            s.setLong(8, p.step());
            s.setLong(9, p.totalSteps());
            s.setString(10, p.worker());
            s.setString(11, p.reason());
            s.setBoolean(12, p.cancelRequested());
            Timestamps.set(s, 13, trial.requestedAt());
            Timestamps.set(s, 14, trial.stopPublishedAt());
            Timestamps.set(s, 15, trial.createdAt());
            Timestamps.set(s, 16, trial.startedAt());
            Timestamps.set(s, 17, trial.finishedAt());
            Timestamps.set(s, 18, trial.updatedAt());
            s.executeUpdate();
        }
    }

    public Optional<TrialRecord> find(Connection c, String id) throws SQLException {
        List<TrialRecord> found = query(c, "SELECT " + COLUMNS + " FROM trials WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Locks the trial row until the transaction ends (take the sweep's lock first, see SweepRepository.lock). */
    public Optional<TrialRecord> lock(Connection c, String id) throws SQLException {
        List<TrialRecord> found = query(c, "SELECT " + COLUMNS + " FROM trials WHERE id = ? FOR UPDATE", id);
        return found.stream().findFirst();
    }

    public Optional<String> sweepIdOf(Connection c, String trialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sweep_id FROM trials WHERE id = ?")) {
            s.setString(1, trialId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** In expansion order. */
    public List<TrialRecord> listBySweep(Connection c, String sweepId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM trials WHERE sweep_id = ? ORDER BY idx", sweepId);
    }

    public int countUnfinished(Connection c, String sweepId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM trials WHERE sweep_id = ? AND state NOT IN (" + TERMINAL_STATES + ")")) {
            s.setString(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Trial counts by state for each of the given sweeps; every state is present, zero when no trial has it. */
    public Map<String, Map<TrialState, Integer>> countByState(Connection c, Collection<String> sweepIds)
            throws SQLException {
        Map<String, Map<TrialState, Integer>> out = new HashMap<>();
        for (String id : sweepIds) {
            out.put(id, zeroCounts());
        }
        if (sweepIds.isEmpty()) {
            return out;
        }
        String marks = sweepIds.stream().map(id -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement s = c.prepareStatement("SELECT sweep_id, state, COUNT(*) FROM trials WHERE sweep_id IN ("
                + marks + ") GROUP BY sweep_id, state")) {
            int i = 1;
            for (String id : sweepIds) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getString(1)).put(TrialState.valueOf(rs.getString(2)), rs.getInt(3));
                }
            }
        }
        return out;
    }

    /**
     * Trial counts by state of every sweep that is running or finished at or after {@code finishedSince}, in one
     * query; every state is present, zero when no trial has it.
     */
    public Map<String, Map<TrialState, Integer>> countByStateOfSweepsActiveSince(Connection c,
                                                                                 OffsetDateTime finishedSince)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT t.sweep_id, t.state, COUNT(*) FROM trials t "
                + "JOIN sweeps w ON w.id = t.sweep_id WHERE w.finished_at IS NULL OR w.finished_at >= ? "
                + "GROUP BY t.sweep_id, t.state")) {
            Timestamps.set(s, 1, finishedSince);
            try (ResultSet rs = s.executeQuery()) {
                Map<String, Map<TrialState, Integer>> out = new HashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), id -> zeroCounts())
                            .put(TrialState.valueOf(rs.getString(2)), rs.getInt(3));
                }
                return out;
            }
        }
    }

    /** The trials with these ids that exist, in no particular order. */
    public List<TrialRecord> findAll(Connection c, Collection<String> ids) throws SQLException {
        List<TrialRecord> out = new ArrayList<>();
        for (List<String> chunk : InLists.chunks(ids)) {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE id IN ("
                    + InLists.marks(chunk.size()) + ")")) {
                InLists.bind(s, 1, chunk);
                out.addAll(readAll(s));
            }
        }
        return out;
    }

    /**
     * Unfinished trials that a worker has started or that have a stored eval point: the trials whose gauges a
     * (re)started orchestrator exports. Queued trials are left out, so that a large sweep adds no series until its
     * trials run.
     */
    public List<TrialRecord> findUnfinishedInProgress(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE state NOT IN ("
                + TERMINAL_STATES + ") AND (started_at IS NOT NULL OR EXISTS (SELECT 1 FROM metric_steps m "
                + "WHERE m.trial_id = trials.id)) ORDER BY sweep_id, idx")) {
            return readAll(s);
        }
    }

    /**
     * Writes a trial's new progress.
     *
     * @param startedAt  kept if the trial already has one
     * @param finishedAt null leaves the stored value
     */
    public void updateProgress(Connection c, String id, TrialProgress p, OffsetDateTime startedAt,
                               OffsetDateTime finishedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE trials SET state = ?, attempt = ?, lost_attempts = ?, "
                + "step = ?, total_steps = ?, worker = ?, reason = ?, cancel_requested = ?, "
                + "started_at = COALESCE(started_at, ?), finished_at = COALESCE(?, finished_at), updated_at = ? "
                + "WHERE id = ?")) {
            s.setString(1, p.state().name());
            s.setInt(2, p.attempt());
            s.setInt(3, p.lostAttempts());
            s.setLong(4, p.step());
            s.setLong(5, p.totalSteps());
            s.setString(6, p.worker());
            s.setString(7, p.reason());
            s.setBoolean(8, p.cancelRequested());
            Timestamps.set(s, 9, startedAt);
            Timestamps.set(s, 10, finishedAt);
            Timestamps.set(s, 11, Timestamps.now());
            s.setString(12, id);
            s.executeUpdate();
        }
    }

    /** Records Kafka's acknowledgement of the trial's request; the first one wins. */
    public void markRequested(Connection c, String id, OffsetDateTime at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE trials SET requested_at = ? WHERE id = ? AND requested_at IS NULL")) {
            Timestamps.set(s, 1, at);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    public void markStopPublished(Connection c, String id, OffsetDateTime at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE trials SET stop_published_at = ? WHERE id = ? AND stop_published_at IS NULL")) {
            Timestamps.set(s, 1, at);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    /** Pending trials whose request Kafka has not acknowledged, created before {@code createdBefore}, oldest first. */
    public List<TrialRecord> findUnrequested(Connection c, OffsetDateTime createdBefore, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE requested_at IS NULL "
                + "AND state = 'PENDING' AND created_at < ? ORDER BY created_at, sweep_id, idx LIMIT ?")) {
            Timestamps.set(s, 1, createdBefore);
            s.setInt(2, limit);
            return readAll(s);
        }
    }

    /** Trials still running after a cancel whose STOP Kafka has not acknowledged. */
    public List<TrialRecord> findUnpublishedStops(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM trials WHERE cancel_requested = TRUE "
                + "AND stop_published_at IS NULL AND state IN ('RUNNING', 'LOST') ORDER BY updated_at LIMIT ?")) {
            s.setInt(1, limit);
            return readAll(s);
        }
    }

    private List<TrialRecord> query(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            return readAll(s);
        }
    }

    private static List<TrialRecord> readAll(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<TrialRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        }
    }

    private static TrialRecord read(ResultSet rs) throws SQLException {
        TrialProgress progress = new TrialProgress(TrialState.valueOf(rs.getString("state")), rs.getInt("attempt"),
                rs.getInt("lost_attempts"), rs.getLong("step"), rs.getLong("total_steps"), rs.getString("worker"),
                rs.getString("reason"), rs.getBoolean("cancel_requested"));
        return new TrialRecord(rs.getString("id"), rs.getString("sweep_id"), rs.getInt("idx"),
                readParams(rs.getString("params")), progress, Timestamps.get(rs, "requested_at"),
                Timestamps.get(rs, "stop_published_at"), Timestamps.get(rs, "created_at"),
                Timestamps.get(rs, "started_at"), Timestamps.get(rs, "finished_at"), Timestamps.get(rs, "updated_at"));
    }

    private static Map<TrialState, Integer> zeroCounts() {
        Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
        for (TrialState state : TrialState.values()) {
            counts.put(state, 0);
        }
        return counts;
    }

    private static String writeParams(Map<String, Object> params) {
        try {
            return Json.MAPPER.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("trial parameters are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> readParams(String json) throws SQLException {
        try {
            return Json.MAPPER.readValue(json, PARAMS);
        } catch (JsonProcessingException e) {
            throw new SQLException("trials.params is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
