package io.bayesweep.detect;

/**
 * Where a trial stands with respect to the corruption stage. The usual path is
 * {@code IMPROVING -> CORRUPTED -> RECOVERING -> OVERFIT}; a trial that never dips stays
 * {@code HEALTHY}/{@code IMPROVING} (or reaches {@code OVERFIT} directly when it starts copying).
 */
public enum DetectorState {
    /** No corruption window so far and fidelity is not clearly rising (plateau, or still warming up). */
    HEALTHY,
    /** No corruption window so far and fidelity is rising. */
    IMPROVING,
    /** A corruption window is open: fidelity dropped from its running peak while noise rose. */
    CORRUPTED,
    /** The last corruption window closed; no sign of over-fitting (yet). */
    RECOVERING,
    /**
     * Over-fitting: memorization fell to a fraction of its early level, or sigma1 narrowed to a
     * fraction of its early level (confirmed on consecutive points). Needs at least one of the two
     * metrics; without them a trial after a window stays {@code RECOVERING}.
     */
    OVERFIT
}
