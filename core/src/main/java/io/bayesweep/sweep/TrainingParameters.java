package io.bayesweep.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The training parameters a trial understands: the single source of truth for their names, types, ranges
 * and defaults, used by sweep validation, by the worker (through {@link #resolve}) and by docs and help.
 */
public final class TrainingParameters {
    /**
     * Held-out emoji subjects the fine-tuning data set has, by emoji-data short name, in the model's order
     * ({@code io.bayesweep.model.emoji.Subjects.names()}; the worker's tests keep the two equal).
     */
    public static final List<String> SUBJECTS = List.of("wink", "joy", "heart_eyes", "star-struck", "zany_face",
            "thinking_face", "neutral_face", "smirk", "sleeping", "face_with_thermometer", "sunglasses", "cry",
            "scream", "astonished", "rage", "ghost", "heart_eyes_cat", "see_no_evil", "blue_heart", "broken_heart",
            "dog", "penguin", "tropical_fish", "sunflower");

    /** Layer groups that can be made Bayesian; their names are a contract with the model module. */
    public static final List<String> LAYER_GROUPS = List.of("conv", "attn", "norm", "time", "emb", "lora_b");

    public static final List<String> METHODS = List.of("full", "lora");

    /** Eval samplers; their names are a contract with the model module ({@code EvalSampling.SAMPLERS}). */
    public static final List<String> EVAL_SAMPLERS = List.of("ddim", "ddim-noclip", "ancestral");

    private static final List<ParameterInfo> ALL = List.of(
            floatParam("kl_weight", NumericRange.atLeast(0), 1.0,
                    "weight of KL(q || p) / N in the loss; 0 trains the Bayesian layers without the prior"),
            floatParam("prior_std", NumericRange.above(0), 0.05,
                    "std of the Gaussian prior centred on the pretrained weights"),
            floatParam("init_std", NumericRange.above(0), 0.001,
                    "initial posterior std (sigma) of each Bayesian weight"),
            new ParameterInfo("bayesian_layers", ParameterType.LAYER_LIST,
                    "list of distinct layer groups from " + String.join(", ", LAYER_GROUPS) + ", or none",
                    ParameterInfo.NO_LAYERS,
                    "layer groups that get a mean-field Gaussian posterior; none is plain fine-tuning",
                    null, LAYER_GROUPS),
            intParam("mc_samples", 1, 16, 1, "weight samples per training step"),
            new ParameterInfo("method", ParameterType.STRING, "full, lora", "full",
                    "fine-tune all weights (full) or low-rank adapters (lora)", null, METHODS),
            intParam("lora_rank", 1, 64, 4, "rank of the LoRA adapters (used with method lora)"),
            floatParam("lr", NumericRange.aboveUpTo(0, 1), 0.0002, "learning rate"),
            intParam("warmup_steps", 0, 100000, 20, "linear learning-rate warm-up from 0 to lr over this many steps"
                    + " (0 = none)"),
            intParam("steps", 1, 100000, 400, "fine-tuning steps"),
            intParam("batch_size", 1, 256, 8, "images per step"),
            intParam("shots", 1, 2, 1, "reference images of the subject, one per vendor: 1 is the Noto drawing"
                    + " (object-driven), 2 adds the Twemoji one (subject-driven)"),
            new ParameterInfo("subject", ParameterType.STRING, String.join(", ", SUBJECTS), "wink",
                    "held-out emoji to learn, by its emoji-data short name", null, SUBJECTS),
            floatParam("prior_preservation", NumericRange.atLeast(0), 0.0,
                    "weight of the class-prior preservation loss (DreamBooth); 0 turns it off"),
            intParam("eval_every", 1, 100000, 25, "steps between evaluations (sample, score); must be <= steps"),
            intParam("early_eval_every", 0, 100000, 0, "steps between evaluations up to step early_eval_until as well,"
                    + " denser than eval_every (0 = off): the corruption detector needs healthy early points, and dips at"
                    + " high learning rates can last only tens of steps"),
            intParam("early_eval_until", 0, 100000, 0, "the last step of the early evaluation schedule; <= steps"),
            new ParameterInfo("eval_sampler", ParameterType.STRING, String.join(", ", EVAL_SAMPLERS), "ddim",
                    "how eval samples are drawn: 20-step DDIM with the x0 estimate clamped (ddim), unclamped"
                            + " (ddim-noclip), or 100-step seeded ancestral sampling, which shows the noisy samples"
                            + " that clamped DDIM may soften", null, EVAL_SAMPLERS),
            intParam("seed", 0, Integer.MAX_VALUE, 0, "seed of the trial's training and sampling"));

    private static final Map<String, ParameterInfo> BY_NAME = ALL.stream()
            .collect(Collectors.toMap(ParameterInfo::name, p -> p, (a, b) -> a, LinkedHashMap::new));

    private TrainingParameters() {
    }

    /** Every parameter, in the order docs and help list them. */
    public static List<ParameterInfo> all() {
        return ALL;
    }

    public static Optional<ParameterInfo> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The message for a name that is not a training parameter, with a suggestion when one is close. */
    static String unknownNameMessage(String name) {
        return "unknown training parameter '" + name + "'" + Suggestions.didYouMean(name, BY_NAME.keySet())
                + "; known: " + String.join(", ", BY_NAME.keySet());
    }

    /**
     * Flattens nested groups, fills defaults, checks types and ranges and cross-field rules; returns a complete
     * flat map name -> value in catalog order (bayesian_layers as List of String, {@code none} -> empty list).
     *
     * @throws IllegalArgumentException naming each bad key, its value and what is allowed (one line each)
     */
    public static Map<String, Object> resolve(Map<String, Object> trialParams) {
        TrialResolution resolution = TrialResolution.of(trialParams);
        if (!resolution.problems().isEmpty()) {
            throw new IllegalArgumentException(resolution.problems().stream().map(SweepProblem::toString)
                    .collect(Collectors.joining("\n")));
        }
        return resolution.params();
    }

    private static ParameterInfo floatParam(String name, NumericRange range, double defaultValue, String doc) {
        return new ParameterInfo(name, ParameterType.FLOAT, range.describe(ParameterType.FLOAT).substring(8),
                defaultValue, doc, range, List.of());
    }

    private static ParameterInfo intParam(String name, int min, int max, int defaultValue, String doc) {
        NumericRange range = NumericRange.between(min, max);
        return new ParameterInfo(name, ParameterType.INT, min + ".." + max, defaultValue, doc, range, List.of());
    }
}
