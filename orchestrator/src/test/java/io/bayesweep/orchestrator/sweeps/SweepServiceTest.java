package io.bayesweep.orchestrator.sweeps;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.testing.TestStores;
import io.bayesweep.orchestrator.trials.SweepState;
import io.bayesweep.orchestrator.trials.TrialState;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.bayesweep.sweep.SweepValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.bayesweep.orchestrator.testing.SweepRequests.THREE_TRIALS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Submit, outbox and cancel against both databases, with Kafka replaced by recording sinks. */
@ParameterizedClass
@EnumSource(TestStores.class)
class SweepServiceTest {
    /** Records what was sent; fails every send while {@code down} is set, as Kafka would when unreachable. */
    static final class RecordingSink implements MessageSink {
        final List<Object> sent = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public CompletionStage<Void> send(String key, Object message) {
            if (down.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
            }
            sent.add(message);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final TestStores database;
    private TestStores.OpenedStore opened;
    private TrackerStore store;
    private TrialTracker tracker;
    private final RecordingSink trials = new RecordingSink();
    private final RecordingSink control = new RecordingSink();
    private TrialRequestOutbox outbox;
    private StopCommands stops;
    private SweepService service;

    SweepServiceTest(TestStores database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        opened = database.open();
        store = opened.store();
        tracker = new TrialTracker(store);
        // Runs callbacks in the sending thread: every publish has completed when the call returns.
        outbox = new TrialRequestOutbox(store, trials, Duration.ZERO, Duration.ofMinutes(5), Clock.systemUTC(),
                Runnable::run);
        stops = new StopCommands(store, control, Duration.ofMinutes(5), Clock.systemUTC(), Runnable::run);
        service = new SweepService(store, tracker, outbox, stops, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        opened.close();
    }

    @Test
    void submitStoresTheTrialsAndRequestsEachOnce() throws Exception {
        SweepRecord sweep = service.submit(THREE_TRIALS, 0);
        assertThat(sweep.id()).matches("sw-[0-9a-f]{8}");
        assertThat(sweep.state()).isEqualTo(SweepState.RUNNING);
        assertThat(sweep.metricName()).isEqualTo("fidelity");
        List<TrialRecord> stored = trialsOf(sweep.id());
        assertThat(stored).extracting(TrialRecord::id)
                .containsExactly(sweep.id() + "-t000", sweep.id() + "-t001", sweep.id() + "-t002");
        assertThat(stored).allSatisfy(t -> {
            assertThat(t.progress().state()).isEqualTo(TrialState.PENDING);
            assertThat(t.requestedAt()).isNotNull();
        });
        assertThat(trials.sent).hasSize(3).allSatisfy(m -> assertThat(m).isInstanceOf(TrialRequested.class));
        assertThat(((TrialRequested) trials.sent.get(1)).params()).containsEntry("kl_weight", 0.5);
        assertThat(outbox.republishUnrequested()).isZero();
    }

    @Test
    void theOutboxRepublishesWhatKafkaDidNotAcknowledge() throws Exception {
        trials.down.set(true);
        SweepRecord sweep = service.submit(THREE_TRIALS, 0);
        assertThat(trialsOf(sweep.id())).allSatisfy(t -> assertThat(t.requestedAt()).isNull());
        assertThat(outbox.republishUnrequested()).isEqualTo(3); // still down: sent, failed again
        assertThat(trials.sent).isEmpty();

        trials.down.set(false);
        assertThat(outbox.republishUnrequested()).isEqualTo(3);
        assertThat(trials.sent).extracting(m -> ((TrialRequested) m).trialId())
                .containsExactly(sweep.id() + "-t000", sweep.id() + "-t001", sweep.id() + "-t002");
        assertThat(trialsOf(sweep.id())).allSatisfy(t -> assertThat(t.requestedAt()).isNotNull());
        assertThat(outbox.republishUnrequested()).isZero();
    }

    @Test
    void invalidSweepsAreRejectedWithTheirPaths() {
        assertThatThrownBy(() -> service.submit("method: grid\nparameters:\n  kl_weight:\n    values: []\n", 0))
                .isInstanceOfSatisfying(SweepValidationException.class,
                        e -> assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.path()).isNotBlank()));
        List<SweepRecord> sweeps = store.read(c -> store.sweeps().listNewestFirst(c, 10));
        assertThat(sweeps).isEmpty();
    }

    @Test
    void cancelStopsPendingTrialsAtOnceAndRunningOnesThroughTheirWorker() throws Exception {
        SweepRecord sweep = service.submit(THREE_TRIALS, 0);
        String running = sweep.id() + "-t000";
        String done = sweep.id() + "-t001";
        String pending = sweep.id() + "-t002";
        tracker.record(TrialEvent.of(Type.STARTED, sweep.id(), running, 1, 0, 6, "w1", null));
        tracker.record(TrialEvent.of(Type.STARTED, sweep.id(), done, 1, 0, 6, "w2", null));
        tracker.record(TrialEvent.of(Type.COMPLETED, sweep.id(), done, 1, 6, 6, "w2", null));

        SweepRecord cancelling = service.cancel(sweep.id());
        assertThat(cancelling.state()).isEqualTo(SweepState.RUNNING);
        assertThat(cancelling.cancelRequested()).isTrue();
        assertThat(trial(pending).progress().state()).isEqualTo(TrialState.CANCELLED);
        assertThat(trial(done).progress().state()).isEqualTo(TrialState.COMPLETED);
        TrialRecord stillRunning = trial(running);
        assertThat(stillRunning.progress().state()).isEqualTo(TrialState.RUNNING);
        assertThat(stillRunning.progress().cancelRequested()).isTrue();
        assertThat(stillRunning.stopPublishedAt()).isNotNull();
        assertThat(control.sent).extracting(m -> ((ControlCommand) m).trialId()).contains(running, pending)
                .doesNotContain(done);

        tracker.record(TrialEvent.of(Type.CANCELLED, sweep.id(), running, 1, 3, 6, "w1", "stopped"));
        SweepRecord cancelled = store.read(c -> store.sweeps().find(c, sweep.id())).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(SweepState.CANCELLED);
        assertThatThrownBy(() -> service.cancel(sweep.id())).isInstanceOf(SweepAlreadyFinishedException.class);
        assertThatThrownBy(() -> service.cancel("sw-00000000")).isInstanceOf(SweepNotFoundException.class);
    }

    @Test
    void aSweepWithNoRunningTrialIsCancelledAtOnce() throws Exception {
        SweepRecord sweep = service.submit(THREE_TRIALS, 0);
        assertThat(service.cancel(sweep.id()).state()).isEqualTo(SweepState.CANCELLED);
        assertThat(trialsOf(sweep.id())).allSatisfy(t -> assertThat(t.progress().state()).isEqualTo(TrialState.CANCELLED));
    }

    @Test
    void unacknowledgedStopsAreSentAgain() throws Exception {
        SweepRecord sweep = service.submit(THREE_TRIALS, 0);
        String running = sweep.id() + "-t000";
        tracker.record(TrialEvent.of(Type.STARTED, sweep.id(), running, 1, 0, 6, "w1", null));
        control.down.set(true);
        service.cancel(sweep.id());
        assertThat(trial(running).stopPublishedAt()).isNull();
        control.down.set(false);
        assertThat(stops.republishUnacknowledged()).isEqualTo(1);
        assertThat(trial(running).stopPublishedAt()).isNotNull();
        assertThat(stops.republishUnacknowledged()).isZero();
    }

    private List<TrialRecord> trialsOf(String sweepId) {
        return store.read(c -> store.trials().listBySweep(c, sweepId));
    }

    private TrialRecord trial(String id) {
        return store.read(c -> store.trials().find(c, id)).orElseThrow();
    }
}
