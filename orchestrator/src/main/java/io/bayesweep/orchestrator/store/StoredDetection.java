package io.bayesweep.orchestrator.store;

import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectorState;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A row of {@code trial_detections}: the corruption-stage detector's verdict after the trial's stored points.
 *
 * @param detector the detector's parameter version, e.g. "v3"
 * @param windows  every corruption window, oldest first; the last one is open (end null) while CORRUPTED
 * @param points   how many stored eval points the detector read
 * @param lastStep the step of the last of them; null when there were none
 */
public record StoredDetection(String trialId, String detector, DetectorState state, List<CorruptionWindow> windows,
                              int points, Long lastStep, OffsetDateTime updatedAt) {
    public StoredDetection {
        windows = List.copyOf(windows);
    }
}
