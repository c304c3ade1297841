package io.bayesweep.detect;

import java.util.List;

/**
 * What the detector concluded after one eval point.
 *
 * @param step          the step of the point this verdict answers
 * @param state         the trial's state after this point
 * @param enteredWindow true on the point that confirmed a new corruption window (the window's onset
 *                      is the first point of the confirmed run, so it may be earlier than {@code step});
 *                      the orchestrator publishes CorruptionStageEntered from it
 * @param exitedWindow  true on the point that confirmed the end of the open window (its end is the first
 *                      point of the confirmed run); the orchestrator publishes CorruptionStageExited
 * @param windows       every window so far, oldest first; the last one is open while
 *                      {@code state == CORRUPTED}
 * @param detector      the detector's parameter version ({@link DetectorParams#version()}), e.g. "v1"
 */
public record Verdict(long step, DetectorState state, boolean enteredWindow, boolean exitedWindow,
                      List<CorruptionWindow> windows, String detector) {

    public Verdict {
        windows = List.copyOf(windows);
    }

    /** The open window, or null when none is open. */
    public CorruptionWindow openWindow() {
        if (windows.isEmpty()) {
            return null;
        }
        CorruptionWindow last = windows.get(windows.size() - 1);
        return last.open() ? last : null;
    }

    /** The most recently opened window (open or closed), or null if there has been none. */
    public CorruptionWindow lastWindow() {
        return windows.isEmpty() ? null : windows.get(windows.size() - 1);
    }
}
