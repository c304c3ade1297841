package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.store.ReceivedAlert;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * An alert Alertmanager delivered, as the API lists it.
 *
 * @param sweepId the alert's {@code sweep} label, null when it has none
 * @param trialId the alert's {@code trial} label, null when it has none
 * @param endsAt  null while Alertmanager gave no end (firing)
 */
public record ReceivedAlertView(String fingerprint, String status, String alertname, String sweepId, String trialId,
                                Map<String, String> labels, Map<String, String> annotations, OffsetDateTime startsAt,
                                OffsetDateTime endsAt, String generatorURL, String receiver,
                                OffsetDateTime receivedAt) {

    static ReceivedAlertView of(ReceivedAlert a) {
        return new ReceivedAlertView(a.fingerprint(), a.status(), a.alertname(), a.sweepId(), a.trialId(), a.labels(),
                a.annotations(), a.startsAt(), a.endsAt(), a.generatorUrl(), a.receiver(), a.receivedAt());
    }
}
