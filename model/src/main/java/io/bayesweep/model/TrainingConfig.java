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
 * @param earlyEvalEvery evaluate every this many steps up to step {@code earlyEvalUntil} too (0 = off): dips in the
 *                       first tens of steps need dense evals, the rest of a long run does not
 * @param earlyEvalUntil the last step of the early schedule
 * @param warmupSteps    linear learning-rate warm-up length in steps (0 = none)
 */
public record TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers,
                             int mcSamples, String method, int loraRank, double lr, int steps, int batchSize,
                             int shots, String subject, double priorPreservation, int evalEvery, long seed,
                             int checkpointEvery, EvalSampling evalSampling, int earlyEvalEvery,
                             int earlyEvalUntil, int warmupSteps) {
    public TrainingConfig {
        bayesianLayers = List.copyOf(bayesianLayers);
        java.util.Objects.requireNonNull(evalSampling, "evalSampling");
        if (steps <= 0 || evalEvery <= 0 || batchSize <= 0 || mcSamples <= 0) {
            throw new IllegalArgumentException("steps, eval_every, batch_size and mc_samples must be positive");
        }
        if (earlyEvalEvery < 0 || earlyEvalUntil < 0 || warmupSteps < 0) {
            throw new IllegalArgumentException("early_eval_every, early_eval_until and warmup_steps must be >= 0");
        }
    }

    /** With the default eval sampling, no early eval schedule and the default warm-up. */
    public TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers, int mcSamples,
                          String method, int loraRank, double lr, int steps, int batchSize, int shots, String subject,
                          double priorPreservation, int evalEvery, long seed, int checkpointEvery,
                          EvalSampling evalSampling) {
        this(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps, batchSize, shots,
                subject, priorPreservation, evalEvery, seed, checkpointEvery, evalSampling, 0, 0,
                FineTuner.WARMUP_STEPS);
    }

    /** The learning rate at step k (1-based): a linear warm-up over warmupSteps, then constant. */
    public double lrAt(long k) {
        return warmupSteps == 0 ? lr : lr * Math.min(1.0, k / (double) warmupSteps);
    }

    /** Whether the trial evaluates after training step {@code k}: every eval_every, the early schedule, the last. */
    public boolean evaluatesAt(long k) {
        return k % evalEvery == 0 || k == steps || earlyEvalEvery > 0 && k <= earlyEvalUntil && k % earlyEvalEvery == 0;
    }

    /** With the default eval sampling (20-step DDIM, x0 clamped). */
    public TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers, int mcSamples,
                          String method, int loraRank, double lr, int steps, int batchSize, int shots, String subject,
                          double priorPreservation, int evalEvery, long seed, int checkpointEvery) {
        this(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps, batchSize, shots,
                subject, priorPreservation, evalEvery, seed, checkpointEvery, EvalSampling.DEFAULT);
    }
}
