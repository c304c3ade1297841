package io.bayesweep.detect;

/**
 * One corruption window of a trial.
 *
 * @param onset    step of the first point of the confirmed run that opened the window
 * @param end      step of the first point of the confirmed run that closed it (the first point back
 *                 to normal); null while the window is open
 * @param depth    the running fidelity peak before the window minus the lowest fidelity inside it
 *                 (points from {@code onset} up to, not including, {@code end})
 * @param duration {@code end - onset} in training steps; for an open window, the latest observed
 *                 step minus {@code onset}
 */
public record CorruptionWindow(long onset, Long end, double depth, long duration) {

    public boolean open() {
        return end == null;
    }
}
