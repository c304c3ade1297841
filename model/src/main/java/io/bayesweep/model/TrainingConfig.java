package io.bayesweep.model;

import java.util.List;

/**
 * Everything one fine-tuning trial needs, already validated and with defaults filled in
 * (the sweep layer validates user input; this record only guards against programming errors).
 *
 * @param bayesianLayers layer-group names whose weights get a mean-field Gaussian; empty = plain baseline
 * @param method         "full" or "lora"
 * @param checkpointEvery save a resumable checkpoint every this many steps (0 = never)
 */
public record TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers,
                             int mcSamples, String method, int loraRank, double lr, int steps, int batchSize,
                             int shots, String subject, double priorPreservation, int evalEvery, long seed,
                             int checkpointEvery) {
    public TrainingConfig {
        bayesianLayers = List.copyOf(bayesianLayers);
        if (steps <= 0 || evalEvery <= 0 || batchSize <= 0 || mcSamples <= 0) {
            throw new IllegalArgumentException("steps, eval_every, batch_size and mc_samples must be positive");
        }
    }
}
