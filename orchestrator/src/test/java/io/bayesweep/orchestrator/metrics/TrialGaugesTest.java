package io.bayesweep.orchestrator.metrics;

import io.bayesweep.detect.EvalPoint;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import io.bayesweep.orchestrator.detection.CorruptionMonitor;
import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.testing.MutableClock;
import io.bayesweep.orchestrator.testing.PrometheusScrape;
import io.bayesweep.orchestrator.testing.TestStores;
import io.bayesweep.orchestrator.testing.Traces;
import io.bayesweep.orchestrator.trials.SweepState;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.TrialState;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-trial gauges and the sweep counts against the store, on H2 (PostgreSQL mode) and on the real PostgreSQL:
 * what the tracker feeds them, their rebuild at start-up, the refresh from the store and the grace period (on a
 * clock the test moves, so that nothing waits for it).
 */
@ParameterizedClass
@EnumSource(TestStores.class)
class TrialGaugesTest {

    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private final TestStores database;
    private TestStores.OpenedStore opened;
    private TrackerStore store;
    private MutableClock clock;
    private PrometheusMeterRegistry registry;
    private TrialGauges gauges;
    private TrialTracker tracker;

    TrialGaugesTest(TestStores database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        opened = database.open();
        store = opened.store();
        clock = new MutableClock(Instant.now());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gauges = new TrialGauges(registry, clock, GRACE);
        tracker = new TrialTracker(store, new CorruptionMonitor(), gauges);
        store.inTransaction(c -> {
            store.sweeps().insert(c, new SweepRecord("sw-a", "a", null, "GRID", SweepState.RUNNING, false,
                    "method: grid", 0, null, null, T0, T0, null));
            for (int i = 0; i < 3; i++) {
                store.trials().insert(c, new TrialRecord("sw-a-t00" + i, "sw-a", i, Map.of(), TrialProgress.pending(),
                        T0, null, T0, null, null, T0));
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        registry.close();
        opened.close();
    }

    private void event(String trialId, Type type, long step) {
        tracker.record(TrialEvent.of(type, "sw-a", trialId, 1, step, 800, "w1", null));
    }

    private void points(String trialId, List<EvalPoint> points) {
        points.forEach(p -> tracker.ingest(Traces.stepMetrics("sw-a", trialId, 1, p, 800)));
    }

    private static Map<String, String> trial(String trialId) {
        return Map.of("sweep", "sw-a", "trial", trialId);
    }

    private static double value(PrometheusMeterRegistry registry, String name, String trialId) {
        return PrometheusScrape.parse(registry.scrape()).value(name, trial(trialId)).orElseThrow();
    }

    private static List<PrometheusScrape.Sample> seriesOf(PrometheusMeterRegistry registry, String trialId) {
        return PrometheusScrape.parse(registry.scrape()).samples().stream()
                .filter(s -> trialId.equals(s.labels().get("trial"))).toList();
    }

    @Test
    void theTrackerFeedsTheGaugesAndARestartRebuildsThemFromTheStore() {
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        List<EvalPoint> open = dip.stream().filter(p -> p.step() <= 240).toList();
        event("sw-a-t000", Type.STARTED, 0);
        points("sw-a-t000", open);
        points("sw-a-t000", List.of(open.get(3))); // a replay changes nothing
        points("sw-a-t002", dip.subList(0, 2)); // points before its STARTED: tracked, but not running

        EvalPoint last = open.get(open.size() - 1);
        PrometheusScrape live = PrometheusScrape.parse(registry.scrape());
        assertThat(live.value("bayesweep_trial_step", trial("sw-a-t000"))).hasValue(240);
        assertThat(live.value("bayesweep_trial_total_steps", trial("sw-a-t000"))).hasValue(800);
        assertThat(live.value("bayesweep_trial_fidelity", trial("sw-a-t000"))).hasValue(last.fidelity());
        assertThat(live.value("bayesweep_trial_loss", trial("sw-a-t000"))).hasValue(last.loss());
        assertThat(live.value("bayesweep_trial_kl", trial("sw-a-t000"))).hasValue(0.0);
        assertThat(live.value("bayesweep_trial_running", trial("sw-a-t000"))).hasValue(1);
        assertThat(live.value("bayesweep_trial_seconds_since_progress", trial("sw-a-t000"))).hasValue(0);
        assertThat(live.value("bayesweep_corruption_state", trial("sw-a-t000"))).hasValue(2);
        assertThat(live.value("bayesweep_corruption_active", trial("sw-a-t000"))).hasValue(1);
        assertThat(live.value("bayesweep_trial_running", trial("sw-a-t002"))).hasValue(0);
        assertThat(live.value("bayesweep_trial_seconds_since_progress", trial("sw-a-t002"))).isEmpty();
        assertThat(seriesOf(registry, "sw-a-t001")).as("a queued trial has no series").isEmpty();
        assertThat(live.find("bayesweep_trial_step", Map.of())).allSatisfy(s ->
                assertThat(s.labels()).containsOnlyKeys("sweep", "trial"));

        clock.advance(Duration.ofSeconds(42));
        assertThat(value(registry, "bayesweep_trial_seconds_since_progress", "sw-a-t000")).isEqualTo(42);

        // A restarted orchestrator: the same series from the store alone.
        PrometheusMeterRegistry restarted = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            TrialGauges rebuilt = new TrialGauges(restarted, clock, GRACE);
            SweepTrialCounts counts = new SweepTrialCounts(restarted);
            int restored = new MetricsRefresh(store, rebuilt, counts, GRACE, clock).restore();
            assertThat(restored).isEqualTo(2);
            for (String trialId : List.of("sw-a-t000", "sw-a-t002")) {
                assertThat(seriesOf(restarted, trialId).stream()
                        .filter(s -> !s.name().equals("bayesweep_trial_seconds_since_progress")))
                        .as(trialId)
                        .containsExactlyInAnyOrderElementsOf(seriesOf(registry, trialId).stream()
                                .filter(s -> !s.name().equals("bayesweep_trial_seconds_since_progress")).toList());
            }
            assertThat(seriesOf(restarted, "sw-a-t001")).isEmpty();
            // The stored point is the last progress it knows of: the seconds since then, not since the restart.
            assertThat(value(restarted, "bayesweep_trial_seconds_since_progress", "sw-a-t000")).isGreaterThan(40);
            PrometheusScrape sweeps = PrometheusScrape.parse(restarted.scrape());
            assertThat(sweeps.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "RUNNING"))).hasValue(1);
            assertThat(sweeps.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "PENDING"))).hasValue(2);
            assertThat(sweeps.find("bayesweep_trials", Map.of("sweep", "sw-a"))).hasSize(TrialState.values().length);
        } finally {
            restarted.close();
        }
    }

    @Test
    void aFinishedTrialKeepsItsSeriesForTheGracePeriodThenLosesThem() {
        MetricsRefresh refresh = new MetricsRefresh(store, gauges, new SweepTrialCounts(registry), GRACE, clock);
        for (String trialId : List.of("sw-a-t000", "sw-a-t001", "sw-a-t002")) {
            event(trialId, Type.STARTED, 0);
            tracker.ingest(StepMetrics.of("sw-a", trialId, 1, 30, 800, "w1", Map.of("loss", 0.5, "fidelity", 0.6)));
        }
        event("sw-a-t000", Type.COMPLETED, 800);
        // Cancelled through the store, as the API does, with no event: the refresh reads it.
        store.inTransaction(c -> {
            TrialRecord t = store.trials().lock(c, "sw-a-t001").orElseThrow();
            store.trials().updateProgress(c, t.id(), new TrialProgress(TrialState.CANCELLED, 1, 0, 30, 800, "w1",
                    "cancelled", true), null, OffsetDateTime.now(ZoneOffset.UTC));
            return null;
        });
        refresh.refresh();

        assertThat(value(registry, "bayesweep_trial_running", "sw-a-t000")).isZero();
        assertThat(value(registry, "bayesweep_trial_running", "sw-a-t001")).isZero();
        assertThat(value(registry, "bayesweep_trial_running", "sw-a-t002")).isEqualTo(1);
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("bayesweep_trial_seconds_since_progress", trial("sw-a-t000"))).isEmpty();
        assertThat(value(registry, "bayesweep_trial_fidelity", "sw-a-t000")).isEqualTo(0.6);

        clock.advance(GRACE.minusSeconds(1));
        refresh.refresh();
        assertThat(seriesOf(registry, "sw-a-t000")).isNotEmpty();

        clock.advance(Duration.ofSeconds(2));
        refresh.refresh();
        assertThat(seriesOf(registry, "sw-a-t000")).isEmpty();
        assertThat(seriesOf(registry, "sw-a-t001")).isEmpty();
        assertThat(seriesOf(registry, "sw-a-t002")).isNotEmpty();
        assertThat(gauges.trialIds()).containsExactly("sw-a-t002");

        // A late point of a finished trial brings its series back, for one more grace period.
        tracker.ingest(StepMetrics.of("sw-a", "sw-a-t000", 1, 60, 800, "w1", Map.of("loss", 0.4)));
        assertThat(value(registry, "bayesweep_trial_loss", "sw-a-t000")).isEqualTo(0.4);
        assertThat(value(registry, "bayesweep_trial_running", "sw-a-t000")).isZero();
        clock.advance(GRACE);
        refresh.refresh();
        assertThat(seriesOf(registry, "sw-a-t000")).isEmpty();
    }

    @Test
    void aSweepKeepsItsTrialCountsForTheGracePeriodAfterItFinished() {
        SweepTrialCounts counts = new SweepTrialCounts(registry);
        MetricsRefresh refresh = new MetricsRefresh(store, gauges, counts, GRACE, clock);
        event("sw-a-t000", Type.STARTED, 0);
        refresh.refresh();
        PrometheusScrape running = PrometheusScrape.parse(registry.scrape());
        assertThat(running.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "RUNNING"))).hasValue(1);
        assertThat(running.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "PENDING"))).hasValue(2);
        assertThat(running.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "LOST"))).hasValue(0);

        event("sw-a-t000", Type.COMPLETED, 800);
        event("sw-a-t001", Type.FAILED, 0);
        event("sw-a-t002", Type.CANCELLED, 0);
        refresh.refresh();
        PrometheusScrape finished = PrometheusScrape.parse(registry.scrape());
        assertThat(finished.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "COMPLETED"))).hasValue(1);
        assertThat(finished.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "RUNNING"))).hasValue(0);
        assertThat(finished.value("bayesweep_trials", Map.of("sweep", "sw-a", "state", "CANCELLED"))).hasValue(1);

        clock.advance(GRACE.plusSeconds(5));
        refresh.refresh();
        assertThat(PrometheusScrape.parse(registry.scrape()).find("bayesweep_trials", Map.of())).isEmpty();
        assertThat(counts.sweepIds()).isEmpty();
    }
}
