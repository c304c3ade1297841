package io.bayesweep.orchestrator.alertmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.bayesweep.messages.Json;
import io.bayesweep.orchestrator.metrics.PipelineCounters;
import io.bayesweep.orchestrator.store.ReceivedAlert;
import io.bayesweep.orchestrator.store.TrackerStore;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives Alertmanager's webhook notifications: checks them, stores each alert once per (fingerprint, start,
 * status) in {@code received_alerts} and counts them. Alertmanager repeats a firing group at every repeat_interval
 * and retries a failed delivery, so receiving the same notification again must store nothing new.
 */
public final class AlertmanagerWebhook {

    /** The most alerts a notification may carry: Alertmanager's max_alerts is unlimited by default. */
    static final int MAX_ALERTS = 10_000;
    private static final Set<String> STATUSES = Set.of("firing", "resolved");
    private static final int MAX_FINGERPRINT = 64;

    private final TrackerStore store;
    private final PipelineCounters counters;
    private final Clock clock;

    public AlertmanagerWebhook(TrackerStore store, PipelineCounters counters, Clock clock) {
        this.store = store;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * @throws InvalidNotificationException when the body is not JSON, not a notification or has no alerts, or an
     *                                      alert lacks what identifies it
     */
    public WebhookReceipt receive(String body) {
        List<ReceivedAlert> alerts = parse(body);
        int stored = store.inTransaction(c -> {
            int inserted = 0;
            for (ReceivedAlert alert : alerts) {
                if (store.receivedAlerts().insert(c, alert)) {
                    inserted++;
                }
            }
            return inserted;
        });
        counters.alertmanagerAlertsReceived(alerts.size());
        return new WebhookReceipt(alerts.size(), stored);
    }

    private List<ReceivedAlert> parse(String body) {
        if (body == null || body.isBlank()) {
            throw InvalidNotificationException.of("the body is empty: expected Alertmanager's webhook notification "
                    + "(JSON, version 4) with a list of alerts");
        }
        AlertmanagerNotification notification = read(body);
        List<AlertmanagerNotification.Alert> alerts = notification.alerts();
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
        List<InvalidNotificationException.Problem> problems = new ArrayList<>();
        List<ReceivedAlert> out = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            ReceivedAlert alert = toRow(alerts.get(i), "alerts[" + i + "]", notification.receiver(), now, problems);
            if (alert != null) {
                out.add(alert);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidNotificationException(problems);
        }
        return out;
    }

    private static AlertmanagerNotification read(String body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidNotificationException.of("malformed JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw InvalidNotificationException.of("the body must be a JSON object: Alertmanager's webhook "
                    + "notification (version 4) with a list of alerts");
        }
        JsonNode alerts = tree.get("alerts");
        if (alerts == null || alerts.isNull()) {
            throw new InvalidNotificationException(List.of(new InvalidNotificationException.Problem("alerts",
                    "the notification has no alerts: expected Alertmanager's webhook JSON (version 4) with a "
                            + "non-empty \"alerts\" list")));
        }
        if (!alerts.isArray() || alerts.isEmpty()) {
            throw new InvalidNotificationException(List.of(new InvalidNotificationException.Problem("alerts",
                    alerts.isArray() ? "the alerts list is empty" : "alerts must be a list of alerts")));
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new InvalidNotificationException(List.of(new InvalidNotificationException.Problem("alerts",
                    alerts.size() + " alerts in one notification, more than " + MAX_ALERTS)));
        }
        try {
            return Json.MAPPER.treeToValue(tree, AlertmanagerNotification.class);
        } catch (MismatchedInputException e) {
            throw new InvalidNotificationException(List.of(new InvalidNotificationException.Problem(path(e),
                    "not an Alertmanager notification: " + e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw InvalidNotificationException.of("not an Alertmanager notification: " + e.getOriginalMessage());
        }
    }

    private static ReceivedAlert toRow(AlertmanagerNotification.Alert a, String path, String receiver,
                                       OffsetDateTime now, List<InvalidNotificationException.Problem> problems) {
        int before = problems.size();
        if (a == null) {
            problems.add(new InvalidNotificationException.Problem(path, "an alert must be a JSON object"));
            return null;
        }
        if (a.fingerprint() == null || a.fingerprint().isBlank()) {
            problems.add(new InvalidNotificationException.Problem(path + ".fingerprint", "missing"));
        } else if (a.fingerprint().length() > MAX_FINGERPRINT) {
            problems.add(new InvalidNotificationException.Problem(path + ".fingerprint",
                    "longer than " + MAX_FINGERPRINT + " characters"));
        }
        if (a.status() == null || !STATUSES.contains(a.status())) {
            problems.add(new InvalidNotificationException.Problem(path + ".status",
                    a.status() == null ? "missing: firing or resolved"
                            : "'" + a.status() + "' is not firing or resolved"));
        }
        OffsetDateTime startsAt = time(a.startsAt(), path + ".startsAt", true, problems);
        OffsetDateTime endsAt = time(a.endsAt(), path + ".endsAt", false, problems);
        if (problems.size() > before) {
            return null;
        }
        Map<String, String> labels = texts(a.labels());
        return new ReceivedAlert(a.fingerprint(), startsAt, a.status(), labels.get("alertname"), labels.get("sweep"),
                labels.get("trial"), labels, texts(a.annotations()), endsAt, a.generatorURL(), receiver, now);
    }

    /**
     * An RFC 3339 time in UTC, to the microsecond (what the store keeps, so that the same alert's start compares
     * equal however often it is delivered). Go's zero time, which Alertmanager sends for "no end", is null.
     */
    private static OffsetDateTime time(String text, String path, boolean required,
                                       List<InvalidNotificationException.Problem> problems) {
        if (text == null || text.isBlank()) {
            if (required) {
                problems.add(new InvalidNotificationException.Problem(path, "missing"));
            }
            return null;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text);
            if (t.getYear() <= 1) {
                if (required) {
                    problems.add(new InvalidNotificationException.Problem(path, "'" + text + "' is Go's zero time"));
                }
                return null;
            }
            return t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            problems.add(new InvalidNotificationException.Problem(path, "'" + text + "' is not an RFC 3339 time"));
            return null;
        }
    }

    /** Labels and annotations without null values (JSON null is no value). */
    private static Map<String, String> texts(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
