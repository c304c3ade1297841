package io.bayesweep.worker;

/** Why a running trial is asked to stop; decides what, if anything, the worker reports. */
enum StopReason {
    /** A user cancelled the trial: report CANCELLED, it is finished. */
    CANCELLED,
    /** This worker no longer owns the trial (rebalance) or is shutting down: report nothing, another worker resumes it. */
    RELEASED
}
