package io.bayesweep.orchestrator.store;

import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.DetectorState;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.messages.CorruptionStageEntered;
import io.bayesweep.messages.CorruptionStageExited;
import io.bayesweep.orchestrator.detection.AlertOutbox;
import io.bayesweep.orchestrator.detection.CorruptionMonitor;
import io.bayesweep.orchestrator.detection.DetectionReplay;
import io.bayesweep.orchestrator.store.AlertRecord.Kind;
import io.bayesweep.orchestrator.sweeps.MessageSink;
import io.bayesweep.orchestrator.testing.TestStores;
import io.bayesweep.orchestrator.testing.Traces;
import io.bayesweep.orchestrator.trials.SweepState;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.TrialTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The detector's verdicts and alert outbox in the store, on H2 (PostgreSQL mode) and on the real PostgreSQL. */
@ParameterizedClass
@EnumSource(TestStores.class)
class DetectionStoreTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private final TestStores database;
    private TestStores.OpenedStore opened;
    private TrackerStore store;
    private TrialTracker tracker;

    DetectionStoreTest(TestStores database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        opened = database.open();
        store = opened.store();
        tracker = new TrialTracker(store);
        store.inTransaction(c -> {
            store.sweeps().insert(c, new SweepRecord("sw-a", "a", null, "GRID", SweepState.RUNNING, false,
                    "method: grid", 0, null, null, T0, T0, null));
            for (int i = 0; i < 2; i++) {
                store.trials().insert(c, new TrialRecord("sw-a-t00" + i, "sw-a", i, Map.of(), TrialProgress.pending(),
                        null, null, T0, null, null, T0));
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        opened.close();
    }

    /** Feeds the points; returns every alert the new points queued, in order. */
    private List<AlertRecord> feed(String trialId, List<EvalPoint> points) {
        List<AlertRecord> queued = new ArrayList<>();
        for (EvalPoint p : points) {
            queued.addAll(tracker.ingest(Traces.stepMetrics("sw-a", trialId, 1, p, 800)).alerts());
        }
        return queued;
    }

    private StoredDetection stored(String trialId) {
        return store.read(c -> store.detections().find(c, trialId)).orElseThrow();
    }

    private List<AlertRecord> alerts(String trialId) {
        return store.read(c -> store.detections().alertsOf(c, trialId));
    }

    @Test
    void aDipIsStoredAsAVerdictAndQueuedAsOneEnteredAndOneExited() {
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        DetectionReplay expected = DetectionReplay.replay(dip, DetectorParams.defaults());

        List<AlertRecord> queued = feed("sw-a-t000", dip);

        StoredDetection verdict = stored("sw-a-t000");
        assertThat(verdict.detector()).isEqualTo("v3");
        assertThat(verdict.state()).isEqualTo(expected.state()).isIn(DetectorState.RECOVERING, DetectorState.OVERFIT);
        assertThat(verdict.windows()).isEqualTo(expected.windows());
        assertThat(verdict.windows()).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(210);
            assertThat(w.end()).isEqualTo(270);
        });
        assertThat(verdict.points()).isEqualTo(dip.size());
        assertThat(verdict.lastStep()).isEqualTo(800);
        assertThat(queued).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
        assertThat(alerts("sw-a-t000")).isEqualTo(queued);
        assertThat(queued).allSatisfy(a -> {
            assertThat(a.sweepId()).isEqualTo("sw-a");
            assertThat(a.onset()).isEqualTo(210);
            assertThat(a.publishedAt()).isNull();
        });
        assertThat(queued.get(0).message()).isInstanceOf(CorruptionStageEntered.class);
        assertThat((CorruptionStageExited) queued.get(1).message()).satisfies(m -> {
            assertThat(m.end()).isEqualTo(270);
            assertThat(m.trialId()).isEqualTo("sw-a-t000");
            assertThat(m.detector()).isEqualTo("v3");
        });
    }

    @Test
    void theVerdictFollowsThePointsWhileTheyArrive() {
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        feed("sw-a-t000", dip.stream().filter(p -> p.step() <= 240).toList());

        StoredDetection open = stored("sw-a-t000");
        assertThat(open.state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(open.windows()).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(210);
            assertThat(w.end()).isNull();
            assertThat(w.duration()).isEqualTo(30);
        });
        assertThat(alerts("sw-a-t000")).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED);

        feed("sw-a-t000", dip.stream().filter(p -> p.step() > 240).toList());
        assertThat(stored("sw-a-t000").state()).isNotEqualTo(DetectorState.CORRUPTED);
        assertThat(alerts("sw-a-t000")).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
    }

    @Test
    void repeatedAndOutOfOrderPointsQueueNothingMore() {
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        List<EvalPoint> swapped = new ArrayList<>(dip);
        for (int i = 0; i + 1 < swapped.size(); i += 2) {
            Collections.swap(swapped, i, i + 1);
        }
        List<EvalPoint> reversed = new ArrayList<>(dip);
        Collections.reverse(reversed);

        List<AlertRecord> first = feed("sw-a-t000", swapped);
        List<AlertRecord> again = feed("sw-a-t000", dip);
        List<AlertRecord> backwards = feed("sw-a-t000", reversed);

        assertThat(first).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
        assertThat(again).isEmpty();
        assertThat(backwards).isEmpty();
        assertThat(alerts("sw-a-t000")).hasSize(2);
        assertThat(stored("sw-a-t000").windows())
                .isEqualTo(DetectionReplay.replay(dip, DetectorParams.defaults()).windows());
    }

    @Test
    void aCleanTraceQueuesNoAlert() {
        feed("sw-a-t001", Traces.read("clean-plateau-01.csv"));

        assertThat(alerts("sw-a-t001")).isEmpty();
        assertThat(stored("sw-a-t001").windows()).isEmpty();
        assertThat(stored("sw-a-t001").state()).isIn(DetectorState.HEALTHY, DetectorState.IMPROVING,
                DetectorState.OVERFIT);
    }

    @Test
    void aSweepsVerdictsAreListedByTrial() {
        Map<String, StoredDetection> none = store.read(c -> store.detections().listBySweep(c, "sw-a"));
        assertThat(none).isEmpty();
        feed("sw-a-t001", Traces.read("clean-plateau-01.csv").subList(0, 3));

        Map<String, StoredDetection> bySweep = store.read(c -> store.detections().listBySweep(c, "sw-a"));

        assertThat(bySweep).containsOnlyKeys("sw-a-t001");
        assertThat(bySweep.get("sw-a-t001").points()).isEqualTo(3);
        java.util.Optional<StoredDetection> noPoints = store.read(c -> store.detections().find(c, "sw-a-t000"));
        assertThat(noPoints).isEmpty();
    }

    @Test
    void aDetectorFailureKeepsThePointAndTheNextPointCatchesUp() {
        Clock broken = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                throw new IllegalStateException("test: the detector fails");
            }
        };
        TrialTracker failing = new TrialTracker(store, new CorruptionMonitor(DetectorParams.defaults(), broken));
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        List<EvalPoint> before = dip.stream().filter(p -> p.step() < 210).toList();
        List<EvalPoint> window = dip.stream().filter(p -> p.step() >= 210 && p.step() < 300).toList();
        EvalPoint after = dip.stream().filter(p -> p.step() == 300).findFirst().orElseThrow();

        feed("sw-a-t000", before);
        for (EvalPoint p : window) {
            TrialTracker.MetricsIngest ingest = failing.ingest(Traces.stepMetrics("sw-a", "sw-a-t000", 1, p, 800));
            assertThat(ingest.inserted()).isTrue();
            assertThat(ingest.alerts()).isEmpty();
        }
        int steps = store.read(c -> store.metrics().countSteps(c, "sw-a-t000"));
        assertThat(steps).isEqualTo(before.size() + window.size());
        assertThat(stored("sw-a-t000").lastStep()).isEqualTo(200); // the last verdict before the failures
        assertThat(alerts("sw-a-t000")).isEmpty();

        List<AlertRecord> queued = feed("sw-a-t000", List.of(after));

        assertThat(queued).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
        assertThat(stored("sw-a-t000").lastStep()).isEqualTo(300);
        assertThat(stored("sw-a-t000").windows()).singleElement()
                .satisfies(w -> assertThat(w.onset()).isEqualTo(210));
    }

    @Test
    void theAlertOutboxMarksWhatKafkaAcknowledgedAndResendsTheRest() {
        List<Object> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean down = new AtomicBoolean(true);
        MessageSink sink = (key, message) -> {
            if (down.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
            }
            sent.add(message);
            CompletionStage<Void> ok = CompletableFuture.completedFuture(null);
            return ok;
        };
        AlertOutbox outbox = new AlertOutbox(store, sink, Duration.ZERO, Duration.ofMinutes(5), Clock.systemUTC(),
                Runnable::run);
        List<AlertRecord> queued = feed("sw-a-t000", Traces.read("dip-01.csv"));

        queued.forEach(a -> outbox.publish(a).toCompletableFuture().join());
        assertThat(sent).isEmpty();
        OffsetDateTime soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);
        List<AlertRecord> unpublished = store.read(c -> store.detections().findUnpublished(c, soon, 10));
        assertThat(unpublished).hasSize(2);

        down.set(false);
        assertThat(outbox.republishUnpublished()).isEqualTo(2);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).isInstanceOf(CorruptionStageEntered.class);
        assertThat(sent.get(1)).isInstanceOf(CorruptionStageExited.class);
        assertThat(sent.get(0)).isEqualTo(queued.get(0).message());
        assertThat(alerts("sw-a-t000")).allSatisfy(a -> assertThat(a.publishedAt()).isNotNull());
        assertThat(outbox.republishUnpublished()).isZero();
    }
}
