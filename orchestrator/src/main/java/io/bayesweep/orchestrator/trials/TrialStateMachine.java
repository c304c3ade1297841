package io.bayesweep.orchestrator.trials;

import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;

import java.util.Objects;

/**
 * The rules by which worker reports move a trial. Kafka delivers at least once and a trial may be taken
 * over by another worker, so every rule must hold for late, replayed and out-of-date reports.
 */
public final class TrialStateMachine {

    private TrialStateMachine() {
    }

    public static Transition onEvent(TrialProgress current, TrialEvent event) {
        if (current.state().isTerminal()) {
            // Sticky: nothing moves a finished trial. A worker that starts a cancelled trial (it read the
            // request before the cancel) has not seen the STOP or ignored it, so it is told again.
            boolean resend = event.type() == TrialEvent.Type.STARTED && current.state() == TrialState.CANCELLED;
            return new Transition(current, current, resend);
        }
        if (event.attempt() < current.attempt() && !isTerminalOfCurrentOwner(current, event)) {
            return Transition.ignored(current);
        }
        return switch (event.type()) {
            case STARTED -> onStarted(current, event);
            case CHECKPOINTED -> onCheckpointed(current, event);
            case COMPLETED -> finish(current, event, TrialState.COMPLETED);
            case FAILED -> finish(current, event, TrialState.FAILED);
            case CANCELLED -> finish(current, event, TrialState.CANCELLED);
        };
    }

    /** Metrics only advance the step; they never change the state, and a finished trial keeps its final step. */
    public static TrialProgress onMetrics(TrialProgress current, StepMetrics metrics) {
        if (current.state().isTerminal()) {
            return current;
        }
        return current.withStepAtLeast(metrics.step(), metrics.totalSteps());
    }

    /**
     * A user cancelled the trial's sweep. A trial no worker runs is cancelled at once; a running one is only
     * marked, and becomes CANCELLED when its worker reports it (after the STOP), so that its final step is known.
     */
    public static Transition onCancel(TrialProgress current) {
        if (current.state().isTerminal()) {
            return Transition.ignored(current);
        }
        if (current.state() == TrialState.RUNNING) {
            return new Transition(current, current.withCancelRequested(), true);
        }
        return new Transition(current, current.withCancelRequested().withState(TrialState.CANCELLED,
                "cancelled before it started"), false);
    }

    private static boolean isTerminalOfCurrentOwner(TrialProgress current, TrialEvent event) {
        return event.type().isTerminal() && event.worker() != null && Objects.equals(event.worker(), current.worker());
    }

    private static Transition onStarted(TrialProgress current, TrialEvent event) {
        if (current.state() == TrialState.RUNNING && event.attempt() == current.attempt()) {
            return new Transition(current, current, current.cancelRequested()); // a replayed STARTED
        }
        int lost = current.lostAttempts();
        if (current.state() == TrialState.RUNNING && event.attempt() > current.attempt()) {
            lost++; // a new attempt while one was running: the old one died without a word
        }
        TrialProgress next = current.withOwner(event.attempt(), event.worker(), lost)
                .withState(TrialState.RUNNING, null)
                .withStepAtLeast(event.step(), event.totalSteps());
        return new Transition(current, next, current.cancelRequested());
    }

    private static Transition onCheckpointed(TrialProgress current, TrialEvent event) {
        if (event.attempt() > current.attempt() || current.state() != TrialState.RUNNING) {
            // Its STARTED was lost or not seen yet: the checkpoint proves the attempt runs.
            return onStarted(current, event);
        }
        return new Transition(current, current.withStepAtLeast(event.step(), event.totalSteps()), false);
    }

    private static Transition finish(TrialProgress current, TrialEvent event, TrialState terminal) {
        int attempt = Math.max(current.attempt(), event.attempt());
        String worker = event.attempt() >= current.attempt() && event.worker() != null ? event.worker() : current.worker();
        TrialProgress next = current.withOwner(attempt, worker, current.lostAttempts())
                .withStepAtLeast(event.step(), event.totalSteps())
                .withState(terminal, event.reason());
        return new Transition(current, next, false);
    }
}
