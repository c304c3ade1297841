package io.bayesweep.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bayesweep.messages.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code received_alerts}: what Alertmanager's webhook delivered. */
public final class ReceivedAlertRepository {

    private static final String COLUMNS = "fingerprint, starts_at, status, alertname, sweep_id, trial_id, labels, "
            + "annotations, ends_at, generator_url, receiver, received_at";
    private static final TypeReference<Map<String, String>> TEXT_MAP = new TypeReference<>() {
    };

    ReceivedAlertRepository() {
    }

    /**
     * Stores the alert unless the same (fingerprint, startsAt, status) was stored before: a repeated or retried
     * notification.
     *
     * @return false when it was stored before
     */
    public boolean insert(Connection c, ReceivedAlert a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO received_alerts (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, a.fingerprint());
            Timestamps.set(s, 2, a.startsAt());
            s.setString(3, a.status());
            s.setString(4, a.alertname());
            s.setString(5, a.sweepId());
            s.setString(6, a.trialId());
            s.setString(7, writeMap(a.labels()));
            s.setString(8, writeMap(a.annotations()));
            Timestamps.set(s, 9, a.endsAt());
            s.setString(10, a.generatorUrl());
            s.setString(11, a.receiver());
            Timestamps.set(s, 12, a.receivedAt());
            return s.executeUpdate() == 1;
        }
    }

    /** Newest delivery first; the alerts of one delivery by start, newest first. */
    public List<ReceivedAlert> listNewestFirst(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM received_alerts "
                + "ORDER BY received_at DESC, starts_at DESC, fingerprint, status LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<ReceivedAlert> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ReceivedAlert(rs.getString("fingerprint"), Timestamps.get(rs, "starts_at"),
                            rs.getString("status"), rs.getString("alertname"), rs.getString("sweep_id"),
                            rs.getString("trial_id"), readMap(rs.getString("labels"), "labels"),
                            readMap(rs.getString("annotations"), "annotations"), Timestamps.get(rs, "ends_at"),
                            rs.getString("generator_url"), rs.getString("receiver"),
                            Timestamps.get(rs, "received_at")));
                }
                return out;
            }
        }
    }

    /** Sorted by key, so that the stored text of the same labels is the same whatever order they came in. */
    private static String writeMap(Map<String, String> map) {
        try {
            return Json.MAPPER.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert labels are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, String> readMap(String json, String column) throws SQLException {
        try {
            return Json.MAPPER.readValue(json, TEXT_MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("received_alerts." + column + " is not a JSON object of texts: "
                    + e.getOriginalMessage(), e);
        }
    }
}
