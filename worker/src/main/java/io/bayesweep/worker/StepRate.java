package io.bayesweep.worker;

import java.util.ArrayDeque;

/**
 * Training throughput over the last {@value #WINDOW} steps, in wall time with evals and checkpoints
 * included: how fast the trial really advances, which is what an ETA needs. (The pure compute time of a
 * step is the step-duration histogram's job.) Written by the training thread, read by scrapes.
 */
final class StepRate {
    static final int WINDOW = 20;

    /** System.nanoTime of the attempt's start and of each step since, oldest first, at most WINDOW + 1. */
    private final ArrayDeque<Long> marks = new ArrayDeque<>();
    private boolean training;

    synchronized void started() {
        marks.clear();
        marks.addLast(System.nanoTime());
        training = true;
    }

    synchronized void stepped() {
        if (!training) {
            return;
        }
        marks.addLast(System.nanoTime());
        if (marks.size() > WINDOW + 1) {
            marks.removeFirst();
        }
    }

    synchronized void stopped() {
        training = false;
        marks.clear();
    }

    /** Steps per second up to now rather than up to the last step, so that a stalled trial falls towards 0. */
    synchronized double perSecond() {
        if (!training || marks.size() < 2) {
            return 0;
        }
        double seconds = (System.nanoTime() - marks.peekFirst()) / 1e9;
        return seconds > 0 ? (marks.size() - 1) / seconds : 0;
    }
}
