package io.bayesweep.orchestrator.trials;

import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrialStateMachineTest {

    private static TrialEvent event(Type type, int attempt, long step, String worker) {
        return TrialEvent.of(type, "sw-1", "sw-1-t000", attempt, step, 100, worker,
                type == Type.FAILED ? "boom" : null);
    }

    private static TrialProgress apply(TrialProgress start, TrialEvent... events) {
        TrialProgress p = start;
        for (TrialEvent e : events) {
            p = TrialStateMachine.onEvent(p, e).after();
        }
        return p;
    }

    @Test
    void startedMakesAPendingTrialRunningAndRecordsTheOwner() {
        Transition t = TrialStateMachine.onEvent(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"));
        assertThat(t.after().state()).isEqualTo(TrialState.RUNNING);
        assertThat(t.after().attempt()).isEqualTo(1);
        assertThat(t.after().worker()).isEqualTo("w1");
        assertThat(t.after().totalSteps()).isEqualTo(100);
        assertThat(t.started()).isTrue();
        assertThat(t.resendStop()).isFalse();
    }

    @Test
    void aReplayedStartedChangesNothing() {
        TrialProgress running = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"),
                event(Type.CHECKPOINTED, 1, 40, "w1"));
        Transition replay = TrialStateMachine.onEvent(running, event(Type.STARTED, 1, 0, "w1"));
        assertThat(replay.changed()).isFalse();
        assertThat(replay.after().step()).isEqualTo(40);
    }

    @Test
    void aHigherAttemptWhileRunningCountsTheOldOneLostAndKeepsRunning() {
        TrialProgress p = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"),
                event(Type.CHECKPOINTED, 1, 30, "w1"), event(Type.STARTED, 2, 30, "w2"));
        assertThat(p.state()).isEqualTo(TrialState.RUNNING);
        assertThat(p.attempt()).isEqualTo(2);
        assertThat(p.worker()).isEqualTo("w2");
        assertThat(p.lostAttempts()).isEqualTo(1);
        assertThat(p.step()).isEqualTo(30);
    }

    @Test
    void eventsOfAnOlderAttemptAreIgnored() {
        TrialProgress p = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"),
                event(Type.STARTED, 2, 10, "w2"));
        assertThat(TrialStateMachine.onEvent(p, event(Type.CHECKPOINTED, 1, 90, "w1")).changed()).isFalse();
        assertThat(TrialStateMachine.onEvent(p, event(Type.STARTED, 1, 0, "w1")).changed()).isFalse();
        // A terminal event of the old attempt from another worker: that worker no longer owns the trial.
        assertThat(TrialStateMachine.onEvent(p, event(Type.FAILED, 1, 50, "w1")).changed()).isFalse();
    }

    @Test
    void aTerminalEventOfAnOlderAttemptOfTheCurrentOwnerCounts() {
        // w1 took the trial back (attempt 3) and reports the end of its attempt 2 late.
        TrialProgress p = apply(TrialProgress.pending(), event(Type.STARTED, 2, 0, "w1"),
                event(Type.STARTED, 3, 0, "w1"));
        Transition t = TrialStateMachine.onEvent(p, event(Type.COMPLETED, 2, 100, "w1"));
        assertThat(t.after().state()).isEqualTo(TrialState.COMPLETED);
        assertThat(t.after().attempt()).isEqualTo(3);
        assertThat(t.finished()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Type.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void terminalStatesAreSticky(Type terminal) {
        TrialProgress done = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"),
                event(terminal, 1, 100, "w1"));
        assertThat(done.state().isTerminal()).isTrue();
        for (Type late : Type.values()) {
            for (int attempt = 0; attempt <= 3; attempt++) {
                Transition t = TrialStateMachine.onEvent(done, event(late, attempt, 200, "w9"));
                assertThat(t.changed()).as("%s attempt %d after %s", late, attempt, terminal).isFalse();
            }
        }
        assertThat(TrialStateMachine.onMetrics(done, StepMetrics.of("sw-1", "sw-1-t000", 1, 500, 100, "w1",
                Map.of("loss", 1.0)))).isEqualTo(done);
    }

    @Test
    void failedKeepsItsReason() {
        TrialProgress p = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"), event(Type.FAILED, 1, 7, "w1"));
        assertThat(p.state()).isEqualTo(TrialState.FAILED);
        assertThat(p.reason()).isEqualTo("boom");
        assertThat(p.step()).isEqualTo(7);
    }

    @Test
    void aStartedForACancelledTrialAsksForTheStopAgain() {
        TrialProgress cancelled = TrialStateMachine.onCancel(TrialProgress.pending()).after();
        assertThat(cancelled.state()).isEqualTo(TrialState.CANCELLED);
        Transition t = TrialStateMachine.onEvent(cancelled, event(Type.STARTED, 1, 0, "w1"));
        assertThat(t.changed()).isFalse();
        assertThat(t.resendStop()).isTrue();
    }

    @Test
    void cancellingARunningTrialOnlyMarksItUntilTheWorkerReports() {
        TrialProgress running = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"));
        Transition cancel = TrialStateMachine.onCancel(running);
        assertThat(cancel.after().state()).isEqualTo(TrialState.RUNNING);
        assertThat(cancel.after().cancelRequested()).isTrue();
        assertThat(cancel.resendStop()).isTrue();
        // A new attempt of a trial being cancelled is told to stop too.
        assertThat(TrialStateMachine.onEvent(cancel.after(), event(Type.STARTED, 2, 0, "w2")).resendStop()).isTrue();
        TrialProgress done = TrialStateMachine.onEvent(cancel.after(), event(Type.CANCELLED, 1, 12, "w1")).after();
        assertThat(done.state()).isEqualTo(TrialState.CANCELLED);
        assertThat(done.cancelRequested()).isTrue();
    }

    @Test
    void aCheckpointOfAnUnseenAttemptStartsIt() {
        Transition t = TrialStateMachine.onEvent(TrialProgress.pending(), event(Type.CHECKPOINTED, 1, 20, "w1"));
        assertThat(t.after().state()).isEqualTo(TrialState.RUNNING);
        assertThat(t.after().step()).isEqualTo(20);
    }

    @Test
    void stepsNeverGoBack() {
        TrialProgress p = apply(TrialProgress.pending(), event(Type.STARTED, 1, 0, "w1"),
                event(Type.CHECKPOINTED, 1, 50, "w1"), event(Type.CHECKPOINTED, 1, 20, "w1"));
        assertThat(p.step()).isEqualTo(50);
        p = TrialStateMachine.onMetrics(p, StepMetrics.of("sw-1", "sw-1-t000", 1, 60, 100, "w1", Map.of()));
        assertThat(p.step()).isEqualTo(60);
        p = TrialStateMachine.onMetrics(p, StepMetrics.of("sw-1", "sw-1-t000", 1, 10, 100, "w1", Map.of()));
        assertThat(p.step()).isEqualTo(60);
        assertThat(p.state()).isEqualTo(TrialState.RUNNING);
    }

    @Test
    void metricsDoNotStartAPendingTrial() {
        TrialProgress p = TrialStateMachine.onMetrics(TrialProgress.pending(),
                StepMetrics.of("sw-1", "sw-1-t000", 1, 3, 6, "w1", Map.of()));
        assertThat(p.state()).isEqualTo(TrialState.PENDING);
        assertThat(p.step()).isEqualTo(3);
    }

    @Test
    void aLostTrialRunsAgainWhenRetried() {
        TrialProgress lost = new TrialProgress(TrialState.LOST, 1, 1, 30, 100, "w1", "lease expired", false);
        TrialProgress p = TrialStateMachine.onEvent(lost, event(Type.STARTED, 2, 30, "w2")).after();
        assertThat(p.state()).isEqualTo(TrialState.RUNNING);
        assertThat(p.reason()).isNull();
    }
}
