package io.bayesweep.model;

import java.util.List;

/**
 * Everything one fine-tuning trial needs, already validated and with defaults filled in
 * (the sweep layer validates user input; this record only guards against programming errors).
 *
 * @param bayesianLayers layer-group names whose weights get a mean-field Gaussian; empty = plain baseline
 * @param method         "full" or "lora"
 * @param checkpointEvery save a resumable checkpoint every this many steps (0 = never)
 * @param warmupSteps    linear learning-rate warm-up length in steps (0 = none)
 * @param eval           when the trial evaluates and how its eval samples are drawn
 */
public record TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers,
                             int mcSamples, String method, int loraRank, double lr, int steps, int batchSize,
                             int shots, String subject, double priorPreservation, long seed, int checkpointEvery,
                             int warmupSteps, EvalSchedule eval) {
    public TrainingConfig {
        bayesianLayers = List.copyOf(bayesianLayers);
        java.util.Objects.requireNonNull(eval, "eval");
        if (steps <= 0 || batchSize <= 0 || mcSamples <= 0) {
            throw new IllegalArgumentException("steps, batch_size and mc_samples must be positive");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps must be >= 0");
        }
    }

    /** Evaluating every {@code evalEvery} steps with that sampling, and the default warm-up. */
    public TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers, int mcSamples,
                          String method, int loraRank, double lr, int steps, int batchSize, int shots, String subject,
                          double priorPreservation, int evalEvery, long seed, int checkpointEvery,
                          EvalSampling evalSampling) {
        this(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps, batchSize, shots,
                subject, priorPreservation, seed, checkpointEvery, FineTuner.WARMUP_STEPS,
                new EvalSchedule(evalEvery, 0, 0, evalSampling));
    }

    /** The learning rate at step k (1-based): a linear warm-up over warmupSteps, then constant. */
    public double lrAt(long k) {
        return warmupSteps == 0 ? lr : lr * Math.min(1.0, k / (double) warmupSteps);
    }

    /** Whether the trial evaluates after training step {@code k}: every eval_every, the early schedule, the last. */
    public boolean evaluatesAt(long k) {
        return eval.evaluatesAt(k, steps);
    }

    /** The same trial with another warm-up length. */
    public TrainingConfig withWarmupSteps(int newWarmupSteps) {
        return new TrainingConfig(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps,
                batchSize, shots, subject, priorPreservation, seed, checkpointEvery, newWarmupSteps, eval);
    }

    /** The same trial with another eval schedule (the same training trajectory). */
    public TrainingConfig withEval(EvalSchedule newEval) {
        return new TrainingConfig(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps,
                batchSize, shots, subject, priorPreservation, seed, checkpointEvery, warmupSteps, newEval);
    }

    /** With the default eval sampling (20-step DDIM, x0 clamped). */
    public TrainingConfig(double klWeight, double priorStd, double initStd, List<String> bayesianLayers, int mcSamples,
                          String method, int loraRank, double lr, int steps, int batchSize, int shots, String subject,
                          double priorPreservation, int evalEvery, long seed, int checkpointEvery) {
        this(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps, batchSize, shots,
                subject, priorPreservation, evalEvery, seed, checkpointEvery, EvalSampling.DEFAULT);
    }
}
