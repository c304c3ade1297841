package io.bayesweep.orchestrator.store;

import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import io.bayesweep.orchestrator.testing.TestStores;
import io.bayesweep.orchestrator.trials.SweepState;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.TrialState;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.bayesweep.orchestrator.trials.UnknownTrialException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same migration and the same assertions on H2 (PostgreSQL mode) and on the real PostgreSQL server. */
@ParameterizedClass
@EnumSource(TestStores.class)
class TrackerStoreTest {

    private final TestStores database;
    private TestStores.OpenedStore opened;
    private TrackerStore store;
    private TrialTracker tracker;

    TrackerStoreTest(TestStores database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        opened = database.open();
        store = opened.store();
        tracker = new TrialTracker(store);
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC);

    private void insertSweep(String id, OffsetDateTime createdAt, int trials) {
        store.inTransaction(c -> {
            store.sweeps().insert(c, new SweepRecord(id, "name " + id, "desc", "GRID", SweepState.RUNNING, false,
                    "method: grid", 7, "fidelity", "maximize", createdAt, createdAt, null));
            for (int i = 0; i < trials; i++) {
                store.trials().insert(c, new TrialRecord(id + "-t00" + i, id, i, Map.of("kl_weight", i, "layers",
                        List.of("conv")), TrialProgress.pending(), null, null, createdAt, null, null, createdAt));
            }
            return null;
        });
    }

    @Test
    void storesAndReadsSweepsAndTrials() {
        insertSweep("sw-a", T0, 2);
        insertSweep("sw-b", T0.plusSeconds(1), 1);
        SweepRecord a = store.read(c -> store.sweeps().find(c, "sw-a")).orElseThrow();
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(a.seed()).isEqualTo(7);
        assertThat(a.metricGoal()).isEqualTo("maximize");
        List<SweepRecord> newest = store.read(c -> store.sweeps().listNewestFirst(c, 10));
        assertThat(newest).extracting(SweepRecord::id).containsExactly("sw-b", "sw-a");
        List<TrialRecord> trials = store.read(c -> store.trials().listBySweep(c, "sw-a"));
        assertThat(trials).extracting(TrialRecord::index).containsExactly(0, 1);
        assertThat(trials.get(1).params()).containsEntry("kl_weight", 1).containsEntry("layers", List.of("conv"));
        assertThat(trials.get(0).progress()).isEqualTo(TrialProgress.pending());
        assertThat(trials.get(0).requestedAt()).isNull();
        var counts = store.read(c -> store.trials().countByState(c, List.of("sw-a", "sw-b")));
        assertThat(counts.get("sw-a")).containsEntry(TrialState.PENDING, 2).containsEntry(TrialState.RUNNING, 0);
        assertThat(counts.get("sw-b")).containsEntry(TrialState.PENDING, 1);
    }

    @Test
    void migratingAgainChangesNothing() {
        insertSweep("sw-a", T0, 1);
        // Opening the same database again runs Flyway again: already up to date, data kept.
        try (TrackerStore again = TrackerStore.open(opened.settings())) {
            int unfinished = again.read(c -> again.trials().countUnfinished(c, "sw-a"));
            assertThat(unfinished).isEqualTo(1);
        }
    }

    @Test
    void aReplayedStepIsStoredOnce() {
        insertSweep("sw-a", T0, 1);
        StepMetrics m = StepMetrics.of("sw-a", "sw-a-t000", 1, 3, 6, "w1", Map.of("loss", 0.5, "fidelity", 0.7));
        assertThat(tracker.record(m)).isTrue();
        assertThat(tracker.record(m)).isFalse();
        StepMetrics differentValues = StepMetrics.of("sw-a", "sw-a-t000", 2, 3, 6, "w2", Map.of("loss", 9.0, "kl", 1.0));
        assertThat(tracker.record(differentValues)).isFalse();
        int steps = store.read(c -> store.metrics().countSteps(c, "sw-a-t000"));
        int values = store.read(c -> store.metrics().countValues(c, "sw-a-t000"));
        assertThat(steps).isEqualTo(1);
        assertThat(values).isEqualTo(2);
        List<MetricStep> history = store.read(c -> store.metrics().history(c, "sw-a-t000"));
        assertThat(history).containsExactly(new MetricStep(3, 1, "w1", Map.of("fidelity", 0.7, "loss", 0.5)));
        assertThat(store.read(c -> store.trials().find(c, "sw-a-t000")).orElseThrow().progress().step()).isEqualTo(3);
    }

    @Test
    void historyIsOrderedByStepAndLatestIsPerMetric() {
        insertSweep("sw-a", T0, 2);
        tracker.record(StepMetrics.of("sw-a", "sw-a-t000", 1, 6, 6, "w1", Map.of("loss", 0.2)));
        tracker.record(StepMetrics.of("sw-a", "sw-a-t000", 1, 3, 6, "w1", Map.of("loss", 0.5, "fidelity", 0.6)));
        tracker.record(StepMetrics.of("sw-a", "sw-a-t000", 1, 0, 6, "w1", Map.of()));
        tracker.record(StepMetrics.of("sw-a", "sw-a-t001", 1, 3, 6, "w1", Map.of("loss", 0.9)));
        List<MetricStep> history = store.read(c -> store.metrics().history(c, "sw-a-t000"));
        assertThat(history).extracting(MetricStep::step).containsExactly(0L, 3L, 6L);
        Map<String, Double> latest = store.read(c -> store.metrics().latestOfTrial(c, "sw-a-t000"));
        assertThat(latest).isEqualTo(Map.of("loss", 0.2, "fidelity", 0.6));
        Map<String, Map<String, Double>> latestOfSweep = store.read(c -> store.metrics().latestOfSweep(c, "sw-a"));
        assertThat(latestOfSweep).isEqualTo(Map.of("sw-a-t000", Map.of("loss", 0.2, "fidelity", 0.6), "sw-a-t001", Map.of("loss", 0.9)));
    }

    @Test
    void aSweepCompletesWhenItsLastTrialIsTerminal() {
        insertSweep("sw-a", T0, 2);
        tracker.record(TrialEvent.of(Type.STARTED, "sw-a", "sw-a-t000", 1, 0, 6, "w1", null));
        tracker.record(TrialEvent.of(Type.STARTED, "sw-a", "sw-a-t001", 1, 0, 6, "w2", null));
        tracker.record(TrialEvent.of(Type.COMPLETED, "sw-a", "sw-a-t000", 1, 6, 6, "w1", null));
        assertThat(sweepState("sw-a")).isEqualTo(SweepState.RUNNING);
        tracker.record(TrialEvent.of(Type.FAILED, "sw-a", "sw-a-t001", 1, 2, 6, "w2", "NaN loss"));
        SweepRecord sweep = store.read(c -> store.sweeps().find(c, "sw-a")).orElseThrow();
        assertThat(sweep.state()).isEqualTo(SweepState.COMPLETED);
        assertThat(sweep.finishedAt()).isNotNull();
        TrialRecord failed = store.read(c -> store.trials().find(c, "sw-a-t001")).orElseThrow();
        assertThat(failed.progress().state()).isEqualTo(TrialState.FAILED);
        assertThat(failed.progress().reason()).isEqualTo("NaN loss");
        assertThat(failed.startedAt()).isNotNull();
        assertThat(failed.finishedAt()).isNotNull();
        // A late replay moves nothing.
        tracker.record(TrialEvent.of(Type.STARTED, "sw-a", "sw-a-t001", 1, 0, 6, "w2", null));
        assertThat(store.read(c -> store.trials().find(c, "sw-a-t001")).orElseThrow().progress().state())
                .isEqualTo(TrialState.FAILED);
    }

    @Test
    void reportsAboutUnknownTrialsAreRejected() {
        assertThatThrownBy(() -> tracker.record(StepMetrics.of("sw-x", "sw-x-t000", 1, 1, 1, "w", Map.of())))
                .isInstanceOf(UnknownTrialException.class);
        assertThatThrownBy(() -> tracker.record(TrialEvent.of(Type.STARTED, "sw-x", "sw-x-t000", 1, 0, 1, "w", null)))
                .isInstanceOf(UnknownTrialException.class);
    }

    @Test
    void theOutboxFindsUnrequestedPendingTrialsOnly() {
        insertSweep("sw-a", T0, 3);
        OffsetDateTime later = T0.plusMinutes(1);
        store.inTransaction(c -> {
            store.trials().markRequested(c, "sw-a-t000", later);
            return null;
        });
        tracker.record(TrialEvent.of(Type.CANCELLED, "sw-a", "sw-a-t002", 0, 0, 0, null, "test"));
        List<TrialRecord> due = store.read(c -> store.trials().findUnrequested(c, later, 10));
        assertThat(due).extracting(TrialRecord::id).containsExactly("sw-a-t001");
        List<TrialRecord> none = store.read(c -> store.trials().findUnrequested(c, T0, 10));
        assertThat(none).isEmpty();
        TrialRecord requested = store.read(c -> store.trials().find(c, "sw-a-t000")).orElseThrow();
        assertThat(requested.requestedAt()).isEqualTo(later);
    }

    @Test
    void duplicateKeysAreRecognised() {
        insertSweep("sw-a", T0, 0);
        assertThatThrownBy(() -> insertSweep("sw-a", T0, 0))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.isDuplicateKey()).isTrue();
                    assertThat(e.isTransient()).isFalse();
                });
    }

    @Test
    void timestampsKeepMicroseconds() {
        OffsetDateTime odd = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        insertSweep("sw-a", odd, 0);
        assertThat(store.read(c -> store.sweeps().find(c, "sw-a")).orElseThrow().createdAt()).isEqualTo(odd);
    }

    private SweepState sweepState(String id) {
        return store.read(c -> store.sweeps().find(c, id)).orElseThrow().state();
    }
}
