package io.bayesweep.worker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a trial's checkpoints and sample grids live. A directory by default; an object store can
 * implement it for workers on several machines.
 */
public interface ArtifactStore {

    /** The folder the model keeps this trial's checkpoints in. */
    Path checkpointDir(String trialId) throws IOException;

    /** Stores the sample grid of one eval step; replaces an earlier grid of the same step. */
    void writeSampleGrid(String trialId, long step, byte[] png) throws IOException;

    /** Counts one more attempt at the trial and returns its number, from 1. */
    int nextAttempt(String trialId) throws IOException;

    /** Records that the trial is finished, so that a duplicate request for it is not run again. */
    void markFinished(String trialId) throws IOException;

    boolean isFinished(String trialId) throws IOException;
}
