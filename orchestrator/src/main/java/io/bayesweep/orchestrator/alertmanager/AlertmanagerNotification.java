package io.bayesweep.orchestrator.alertmanager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook notification (version "4"), as far as the orchestrator reads it; fields Alertmanager adds
 * later are ignored. Times stay text here so that a bad one is reported with its place in the body.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertmanagerNotification(String version, String groupKey, Integer truncatedAlerts, String status,
                                       String receiver, Map<String, String> groupLabels,
                                       Map<String, String> commonLabels, Map<String, String> commonAnnotations,
                                       String externalURL, List<Alert> alerts) {

    /** One alert of the notification. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                        String endsAt, String generatorURL, String fingerprint) {
    }
}
