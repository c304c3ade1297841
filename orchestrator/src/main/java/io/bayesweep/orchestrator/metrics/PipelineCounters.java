package io.bayesweep.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * The orchestrator's counters of docs/observability.md. Every series is registered at start, at zero, so that
 * {@code rate()} and {@code increase()} see the first event.
 */
public final class PipelineCounters {

    /** Why a StepMetrics record was dead-lettered instead of stored: the fixed values of the {@code reason} label. */
    public enum RejectReason {
        /** Not a StepMetrics as JSON, or without a trial id. */
        MALFORMED("malformed"),
        /** A trial the store does not have. */
        UNKNOWN_TRIAL("unknown_trial"),
        /** Anything else: the store refused the point, or stayed unreachable past bayesweep.ingest.store-retry. */
        ERROR("error");

        private final String label;

        RejectReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Counter ingested;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Counter alertsPublished;
    private final Counter alertmanagerAlerts;

    public PipelineCounters(MeterRegistry registry) {
        ingested = Counter.builder("bayesweep.metrics.ingested")
                .description("StepMetrics points stored (replays not counted)").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("bayesweep.metrics.rejected")
                    .description("StepMetrics records not stored but dead-lettered, by reason")
                    .tag("reason", reason.label()).register(registry));
        }
        alertsPublished = Counter.builder("bayesweep.alerts.published")
                .description("CorruptionStageEntered/Exited events acknowledged by Kafka (resends included)")
                .register(registry);
        alertmanagerAlerts = Counter.builder("bayesweep.alertmanager.alerts.received")
                .description("Alerts received on the Alertmanager webhook (repeated deliveries included)")
                .register(registry);
    }

    public void pointIngested() {
        ingested.increment();
    }

    public void pointRejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void alertPublished() {
        alertsPublished.increment();
    }

    public void alertmanagerAlertsReceived(int count) {
        alertmanagerAlerts.increment(count);
    }
}
