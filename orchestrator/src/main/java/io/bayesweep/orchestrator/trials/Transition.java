package io.bayesweep.orchestrator.trials;

/**
 * What one event does to a trial.
 *
 * @param resendStop the trial is (being) cancelled but a worker has just started it: that worker must be told
 *                   to stop again
 */
public record Transition(TrialProgress before, TrialProgress after, boolean resendStop) {

    static Transition ignored(TrialProgress current) {
        return new Transition(current, current, false);
    }

    public boolean changed() {
        return !before.equals(after);
    }

    public boolean started() {
        return before.state() != TrialState.RUNNING && after.state() == TrialState.RUNNING;
    }

    public boolean finished() {
        return !before.state().isTerminal() && after.state().isTerminal();
    }
}
