package io.bayesweep.orchestrator.store;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row of {@code received_alerts}: one alert as Alertmanager's webhook delivered it first.
 *
 * @param status      {@code firing} or {@code resolved}; with fingerprint and startsAt, the row's identity
 * @param alertname   the {@code alertname} label; null when the alert has none
 * @param sweepId     the {@code sweep} label; null when the alert names no sweep
 * @param trialId     the {@code trial} label; null when the alert names no trial
 * @param endsAt      null while Alertmanager did not give an end (a firing alert)
 * @param receivedAt  when this orchestrator stored it
 */
public record ReceivedAlert(String fingerprint, OffsetDateTime startsAt, String status, String alertname,
                            String sweepId, String trialId, Map<String, String> labels,
                            Map<String, String> annotations, OffsetDateTime endsAt, String generatorUrl,
                            String receiver, OffsetDateTime receivedAt) {
    public ReceivedAlert {
        // Sorted by name, so that the API lists them the same way whatever order Alertmanager sent them in.
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }
}
