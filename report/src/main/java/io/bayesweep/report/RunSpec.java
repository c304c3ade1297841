package io.bayesweep.report;

import io.bayesweep.model.EvalSampling;
import io.bayesweep.model.EvalSchedule;
import io.bayesweep.model.FineTuner;
import io.bayesweep.model.TrainingConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One named fine-tuning run of the reproduction plan: a {@link TrainingConfig} with a name that is also
 * its folder under the output directory.
 *
 * @param name           folder name, {@code [A-Za-z0-9._-]+}, unique in a plan
 * @param bayesianLayers empty for the plain baseline ({@code bayesian_layers: none})
 * @param evalSampler    how the eval samples are drawn ({@code eval_sampler}: ddim, ddim-noclip, ancestral[:steps])
 * @param earlyEvalEvery evals every this many steps up to {@code earlyEvalUntil} as well (0 = off)
 */
public record RunSpec(String name, String subject, int shots, String method, double lr, List<String> bayesianLayers,
                      double klWeight, double priorStd, double initStd, int mcSamples, int steps, int batchSize,
                      int evalEvery, long seed, int checkpointEvery, double priorPreservation, int loraRank,
                      EvalSampling evalSampler, int earlyEvalEvery, int earlyEvalUntil, int warmupSteps) {

    /** Plan columns, in the order {@link Plan#toTsv} writes them. */
    public static final List<String> COLUMNS = List.of("name", "subject", "shots", "method", "lr", "bayesian_layers",
            "kl_weight", "prior_std", "init_std", "mc_samples", "steps", "batch_size", "eval_every", "seed",
            "checkpoint_every", "prior_preservation", "lora_rank", "eval_sampler", "early_eval_every", "early_eval_until", "warmup_steps");

    /** The values a plan row takes for a column it leaves out (or leaves empty, or "-"). */
    public static final Map<String, String> DEFAULTS = defaults();

    public RunSpec {
        Objects.requireNonNull(name, "name");
        // run folders written before eval_sampler existed were all sampled the default way
        evalSampler = evalSampler == null ? EvalSampling.DEFAULT : evalSampler;
        bayesianLayers = List.copyOf(bayesianLayers);
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("subject", "wink");
        d.put("shots", "1");
        d.put("method", "full");
        d.put("lr", "3e-4");
        d.put("bayesian_layers", "none");
        d.put("kl_weight", "0");
        d.put("prior_std", "0.01");
        d.put("init_std", "1e-3");
        d.put("mc_samples", "1");
        d.put("steps", "2000");
        d.put("batch_size", "8");
        d.put("eval_every", "20");
        d.put("seed", "1");
        d.put("checkpoint_every", "250");
        d.put("prior_preservation", "0");
        d.put("lora_rank", "4");
        d.put("eval_sampler", EvalSampling.DEFAULT.toString());
        d.put("early_eval_every", "0");
        d.put("early_eval_until", "0");
        d.put("warmup_steps", Integer.toString(FineTuner.WARMUP_STEPS));
        return Map.copyOf(d);
    }

    /** True for the plain baseline (no Bayesian layer group). */
    public boolean baseline() {
        return bayesianLayers.isEmpty();
    }

    public TrainingConfig toConfig() {
        return new TrainingConfig(klWeight, priorStd, initStd, bayesianLayers, mcSamples, method, loraRank, lr, steps,
                batchSize, shots, subject, priorPreservation, seed, checkpointEvery, warmupSteps,
                new EvalSchedule(evalEvery, earlyEvalEvery, earlyEvalUntil, evalSampler));
    }

    public RunSpec withSteps(int newSteps, int newEvalEvery) {
        return new RunSpec(name, subject, shots, method, lr, bayesianLayers, klWeight, priorStd, initStd, mcSamples,
                newSteps, batchSize, newEvalEvery, seed, checkpointEvery, priorPreservation, loraRank, evalSampler,
                earlyEvalEvery, earlyEvalUntil, warmupSteps);
    }

    public RunSpec withLr(double newLr, String newName) {
        return new RunSpec(newName, subject, shots, method, newLr, bayesianLayers, klWeight, priorStd, initStd,
                mcSamples, steps, batchSize, evalEvery, seed, checkpointEvery, priorPreservation, loraRank, evalSampler,
                earlyEvalEvery, earlyEvalUntil, warmupSteps);
    }

    /**
     * Whether a run folder started with {@code other} can be continued with this spec: everything that shapes
     * the training trajectory is equal, and so is the eval sampler, so that one metrics file holds one kind of
     * samples (steps, eval_every and checkpoint_every may differ: a finished run can be extended to more steps).
     */
    public boolean sameTrajectory(RunSpec other) {
        return subject.equals(other.subject) && shots == other.shots && method.equals(other.method)
                && lr == other.lr && bayesianLayers.equals(other.bayesianLayers) && klWeight == other.klWeight
                && priorStd == other.priorStd && initStd == other.initStd && mcSamples == other.mcSamples
                && batchSize == other.batchSize && seed == other.seed && priorPreservation == other.priorPreservation
                && loraRank == other.loraRank && evalSampler.equals(other.evalSampler) && warmupSteps == other.warmupSteps;
    }

    /** The cells of this spec, by column name, as the plan file writes them. */
    public Map<String, String> cells() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("subject", subject);
        c.put("shots", Integer.toString(shots));
        c.put("method", method);
        c.put("lr", num(lr));
        c.put("bayesian_layers", baseline() ? "none" : String.join(",", bayesianLayers));
        c.put("kl_weight", num(klWeight));
        c.put("prior_std", num(priorStd));
        c.put("init_std", num(initStd));
        c.put("mc_samples", Integer.toString(mcSamples));
        c.put("steps", Integer.toString(steps));
        c.put("batch_size", Integer.toString(batchSize));
        c.put("eval_every", Integer.toString(evalEvery));
        c.put("seed", Long.toString(seed));
        c.put("checkpoint_every", Integer.toString(checkpointEvery));
        c.put("prior_preservation", num(priorPreservation));
        c.put("lora_rank", Integer.toString(loraRank));
        c.put("eval_sampler", evalSampler.toString());
        c.put("early_eval_every", Integer.toString(earlyEvalEvery));
        c.put("early_eval_until", Integer.toString(earlyEvalUntil));
        c.put("warmup_steps", Integer.toString(warmupSteps));
        return c;
    }

    /** A short human label of what distinguishes the run: "baseline lr 3e-4", "BNN [attn, conv] lr 3e-4 kl 1 prior 0.01". */
    public String label() {
        String sampling = evalSampler.equals(EvalSampling.DEFAULT) ? "" : ", " + evalSampler + " evals";
        if (baseline()) {
            return "baseline lr " + num(lr) + sampling;
        }
        return "BNN " + bayesianLayers + " lr " + num(lr) + " kl " + num(klWeight) + " prior " + num(priorStd)
                + sampling;
    }

    /** A number as short as it reads: 3e-4, 1e-3, 0.01, 0.5, 1. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        java.math.BigDecimal bd = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
        if (Math.abs(v) >= 0.01) {
            return bd.toPlainString();
        }
        int exp = bd.precision() - bd.scale() - 1;
        return bd.movePointLeft(exp).stripTrailingZeros().toPlainString() + "e" + exp;
    }
}
