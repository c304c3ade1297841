package io.bayesweep.model;

import java.util.List;

/**
 * Everything one fine-tuning trial needs, already validated and with defaults filled in
 * (the sweep layer validates user input; this record only guards against programming errors).
 *
 * @param bayesianLayers layer-group names whose weights get a mean-field Gaussian; empty = plain baseline
 * @param method         "full" or "lora"
 * @param checkpointEvery save a resumable checkpoint every this many steps (0 = never)
 * @param evalSampling   how the eval samples (and so the metrics) are drawn; not part of the training trajectory
 */
public record TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers,
                             int mcSamples, String method, int loraRank, double lr, int steps, int batchSize,
                             int shots, String subject, double priorPreservation, int evalEvery, long seed,
                             int checkpointEvery, EvalSampling evalSampling) {
    public TrainingConfig {
        bayesianLayers = List.copyOf(bayesianLayers);
        java.util.Objects.requireNonNull(evalSampling, "evalSampling");
        if (steps <= 0 || evalEvery <= 0 || batchSize <= 0 || mcSamples <= 0) {
            throw new IllegalArgumentException("steps, eval_every, batch_size and mc_samples must be positive");
        }
    }

    /** With the default eval sampling (20-step DDIM, x0 clamped). */
    public TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers, int mcSamples,
                          String method, int loraRank, double lr, int steps, int batchSize, int shots, String subject,
                          double priorPreservation, int evalEvery, long seed, int checkpointEvery) {
        this(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps, batchSize, shots,
                subject, priorPreservation, evalEvery, seed, checkpointEvery, EvalSampling.DEFAULT);
    }
}
