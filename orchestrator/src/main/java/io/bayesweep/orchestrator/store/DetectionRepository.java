package io.bayesweep.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectorState;
import io.bayesweep.messages.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code trial_detections} (the detector's verdict per trial) and {@code corruption_alerts} (its alert outbox). */
public final class DetectionRepository {

    private static final String DETECTION_COLUMNS = "trial_id, detector, state, windows, points, last_step, updated_at";
    private static final String ALERT_COLUMNS = "trial_id, detector, onset, kind, sweep_id, step, end_step, depth, "
            + "state, created_at, published_at";
    private static final TypeReference<List<CorruptionWindow>> WINDOWS = new TypeReference<>() {
    };

    DetectionRepository() {
    }

    /** Writes the trial's verdict over the previous one; call with the trial row locked. */
    public void save(Connection c, StoredDetection d) throws SQLException {
        int updated;
        try (PreparedStatement s = c.prepareStatement("UPDATE trial_detections SET detector = ?, state = ?, "
                + "windows = ?, points = ?, last_step = ?, updated_at = ? WHERE trial_id = ?")) {
            bindDetection(s, d, 1);
            s.setString(7, d.trialId());
            updated = s.executeUpdate();
        }
        if (updated == 0) {
            // The trial lock serializes writers of one trial, so nobody can insert in between.
            try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_detections (detector, state, windows, "
                    + "points, last_step, updated_at, trial_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bindDetection(s, d, 1);
                s.setString(7, d.trialId());
                s.executeUpdate();
            }
        }
    }

    public Optional<StoredDetection> find(Connection c, String trialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + DETECTION_COLUMNS
                + " FROM trial_detections WHERE trial_id = ?")) {
            s.setString(1, trialId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(readDetection(rs)) : Optional.empty();
            }
        }
    }

    /** The verdicts of a sweep's trials, by trial id; trials without a stored point have none. */
    public Map<String, StoredDetection> listBySweep(Connection c, String sweepId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT d.trial_id, d.detector, d.state, d.windows, d.points, "
                + "d.last_step, d.updated_at FROM trial_detections d JOIN trials t ON t.id = d.trial_id "
                + "WHERE t.sweep_id = ?")) {
            s.setString(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                Map<String, StoredDetection> out = new HashMap<>();
                while (rs.next()) {
                    StoredDetection d = readDetection(rs);
                    out.put(d.trialId(), d);
                }
                return out;
            }
        }
    }

    /** The verdicts of the given trials, by trial id; trials without a stored point have none. */
    public Map<String, StoredDetection> findAll(Connection c, java.util.Collection<String> trialIds)
            throws SQLException {
        Map<String, StoredDetection> out = new HashMap<>();
        for (List<String> chunk : InLists.chunks(trialIds)) {
            try (PreparedStatement s = c.prepareStatement("SELECT " + DETECTION_COLUMNS
                    + " FROM trial_detections WHERE trial_id IN (" + InLists.marks(chunk.size()) + ")")) {
                InLists.bind(s, 1, chunk);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        StoredDetection d = readDetection(rs);
                        out.put(d.trialId(), d);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Queues one alert, at most once per (trial, detector, onset, kind).
     *
     * @return false when that alert was decided before
     */
    public boolean insertAlert(Connection c, AlertRecord a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO corruption_alerts (" + ALERT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, a.trialId());
            s.setString(2, a.detector());
            s.setLong(3, a.onset());
            s.setString(4, a.kind().name());
            s.setString(5, a.sweepId());
            s.setLong(6, a.step());
            if (a.end() == null) {
                s.setNull(7, Types.BIGINT);
            } else {
                s.setLong(7, a.end());
            }
            s.setDouble(8, a.depth());
            s.setString(9, a.state().name());
            Timestamps.set(s, 10, a.createdAt());
            Timestamps.set(s, 11, a.publishedAt());
            return s.executeUpdate() == 1;
        }
    }

    /** Every alert of the trial by this detector version, by onset, ENTERED before EXITED. */
    public List<AlertRecord> alertsOf(Connection c, String trialId, String detector) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM corruption_alerts "
                + "WHERE trial_id = ? AND detector = ? ORDER BY onset, kind")) {
            s.setString(1, trialId);
            s.setString(2, detector);
            return readAlerts(s);
        }
    }

    /** Every alert of the trial, whatever the detector version, oldest first; for tests and diagnostics. */
    public List<AlertRecord> alertsOf(Connection c, String trialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM corruption_alerts "
                + "WHERE trial_id = ? ORDER BY created_at, detector, onset, kind")) {
            s.setString(1, trialId);
            return readAlerts(s);
        }
    }

    /** Records Kafka's acknowledgement of an alert; the first one wins. */
    public void markPublished(Connection c, AlertRecord a, OffsetDateTime at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE corruption_alerts SET published_at = ? WHERE trial_id = ? "
                + "AND detector = ? AND onset = ? AND kind = ? AND published_at IS NULL")) {
            Timestamps.set(s, 1, at);
            s.setString(2, a.trialId());
            s.setString(3, a.detector());
            s.setLong(4, a.onset());
            s.setString(5, a.kind().name());
            s.executeUpdate();
        }
    }

    /** Alerts Kafka has not acknowledged, decided before {@code createdBefore}, oldest first (ENTERED before EXITED). */
    public List<AlertRecord> findUnpublished(Connection c, OffsetDateTime createdBefore, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM corruption_alerts "
                + "WHERE published_at IS NULL AND created_at < ? ORDER BY created_at, trial_id, onset, kind LIMIT ?")) {
            Timestamps.set(s, 1, createdBefore);
            s.setInt(2, limit);
            return readAlerts(s);
        }
    }

    private static void bindDetection(PreparedStatement s, StoredDetection d, int from) throws SQLException {
        s.setString(from, d.detector());
        s.setString(from + 1, d.state().name());
        s.setString(from + 2, writeWindows(d.windows()));
        s.setInt(from + 3, d.points());
        if (d.lastStep() == null) {
            s.setNull(from + 4, Types.BIGINT);
        } else {
            s.setLong(from + 4, d.lastStep());
        }
        Timestamps.set(s, from + 5, d.updatedAt());
    }

    private static StoredDetection readDetection(ResultSet rs) throws SQLException {
        long lastStep = rs.getLong("last_step");
        Long last = rs.wasNull() ? null : lastStep;
        return new StoredDetection(rs.getString("trial_id"), rs.getString("detector"),
                DetectorState.valueOf(rs.getString("state")), readWindows(rs.getString("windows")),
                rs.getInt("points"), last, Timestamps.get(rs, "updated_at"));
    }

    private static List<AlertRecord> readAlerts(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<AlertRecord> out = new ArrayList<>();
            while (rs.next()) {
                long end = rs.getLong("end_step");
                Long endStep = rs.wasNull() ? null : end;
                out.add(new AlertRecord(rs.getString("trial_id"), rs.getString("sweep_id"), rs.getString("detector"),
                        rs.getLong("onset"), AlertRecord.Kind.valueOf(rs.getString("kind")), rs.getLong("step"),
                        endStep, rs.getDouble("depth"), DetectorState.valueOf(rs.getString("state")),
                        Timestamps.get(rs, "created_at"), Timestamps.get(rs, "published_at")));
            }
            return out;
        }
    }

    private static String writeWindows(List<CorruptionWindow> windows) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (CorruptionWindow w : windows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("onset", w.onset());
            m.put("end", w.end());
            m.put("depth", w.depth());
            m.put("duration", w.duration());
            json.add(m);
        }
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write corruption windows as JSON", e);
        }
    }

    private static List<CorruptionWindow> readWindows(String json) throws SQLException {
        try {
            return Json.MAPPER.readValue(json, WINDOWS);
        } catch (JsonProcessingException e) {
            throw new SQLException("trial_detections.windows is not a JSON list of windows: " + e.getOriginalMessage(), e);
        }
    }
}
