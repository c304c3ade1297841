package io.bayesweep.model;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Runs one few-shot fine-tuning trial with the BNN objective: the single entry point the worker uses.
 * Knows nothing of Kafka or HTTP.
 */
public final class FineTuner {

    /**
     * Runs the trial, resuming from the newest checkpoint in {@code checkpointDir} if there is one.
     * With the same config, a resumed run reports the same subsequent losses and metrics as an
     * uninterrupted one.
     *
     * @param checkpointDir where this trial's checkpoints live (created if missing)
     * @param cancelled     polled between steps; when true the run stops and returns with cancelled = true
     * @throws TrainingException for errors of configuration or data, which a retry would not fix
     */
    public TrainingResult run(TrainingConfig config, Path checkpointDir, TrainingListener listener,
                              BooleanSupplier cancelled) throws TrainingException {
        throw new UnsupportedOperationException("filled in by the model work");
    }
}
