package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trial's parameters made complete and checked, or everything wrong with them. Shared by
 * {@link TrainingParameters#resolve} (which throws) and {@link SweepExpander} (which reports per trial).
 *
 * @param params complete flat map in catalog order; only meaningful when problems is empty
 */
record TrialResolution(Map<String, Object> params, List<SweepProblem> problems) {

    static TrialResolution of(Map<String, Object> trialParams) {
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> givenAt = new LinkedHashMap<>();
        List<SweepProblem> problems = new ArrayList<>();
        flatten(trialParams, "", given, givenAt, problems);

        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ParameterInfo info : TrainingParameters.all()) {
            String name = info.name();
            if (!given.containsKey(name)) {
                resolved.put(name, finalValue(info, info.defaultValue()));
                continue;
            }
            Object value = given.get(name);
            String problem = info.problemWith(value);
            if (problem != null) {
                problems.add(new SweepProblem(givenAt.get(name), problem));
            } else {
                resolved.put(name, finalValue(info, info.canonical(value)));
            }
        }
        if (problems.isEmpty()) {
            checkCrossFieldRules(resolved, givenAt, problems);
        }
        return new TrialResolution(problems.isEmpty() ? resolved : Map.of(), List.copyOf(problems));
    }

    private static void flatten(Map<String, Object> params, String prefix, Map<String, Object> given,
                                Map<String, String> givenAt, List<SweepProblem> problems) {
        for (Map.Entry<String, Object> entry : params.entrySet()) {
            String path = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> group) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) group;
                flatten(nested, path + ".", given, givenAt, problems);
            } else if (TrainingParameters.find(entry.getKey()).isEmpty()) {
                problems.add(new SweepProblem(path, TrainingParameters.unknownNameMessage(entry.getKey())));
            } else if (given.containsKey(entry.getKey())) {
                problems.add(new SweepProblem(path, "training parameter '" + entry.getKey()
                        + "' is already set at " + givenAt.get(entry.getKey())));
            } else {
                given.put(entry.getKey(), entry.getValue());
                givenAt.put(entry.getKey(), path);
            }
        }
    }

    private static Object finalValue(ParameterInfo info, Object value) {
        if (info.type() == ParameterType.LAYER_LIST && ParameterInfo.NO_LAYERS.equals(value)) {
            return List.of();
        }
        return value;
    }

    private static void checkEarlyEvals(Map<String, Object> resolved, Map<String, String> givenAt,
                                        List<SweepProblem> problems, int steps, int evalEvery) {
        int every = (Integer) resolved.get("early_eval_every");
        int until = (Integer) resolved.get("early_eval_until");
        String everyAt = givenAt.getOrDefault("early_eval_every", "early_eval_every");
        String untilAt = givenAt.getOrDefault("early_eval_until", "early_eval_until");
        if (every == 0 && until > 0) {
            problems.add(new SweepProblem(untilAt, "early_eval_until " + until
                    + " needs early_eval_every (the early evaluation interval), which is 0 (off)"));
        } else if (every > 0 && until == 0) {
            problems.add(new SweepProblem(everyAt, "early_eval_every " + every
                    + " needs early_eval_until (the last step of the early schedule), which is 0"));
        } else if (every > 0) {
            if (every >= evalEvery) {
                problems.add(new SweepProblem(everyAt, "early_eval_every " + every + " is not less than eval_every "
                        + evalEvery + ": the early schedule must be denser"));
            }
            if (until > steps) {
                problems.add(new SweepProblem(untilAt, "early_eval_until " + until + " is more than steps " + steps));
            }
            if (until < every) {
                problems.add(new SweepProblem(untilAt, "early_eval_until " + until + " is less than early_eval_every "
                        + every + ": the early schedule would hold no evaluation"));
            }
        }
    }

    private static void checkCrossFieldRules(Map<String, Object> resolved, Map<String, String> givenAt,
                                             List<SweepProblem> problems) {
        int steps = (Integer) resolved.get("steps");
        int evalEvery = (Integer) resolved.get("eval_every");
        if (evalEvery > steps) {
            problems.add(new SweepProblem(givenAt.getOrDefault("eval_every", "eval_every"),
                    "eval_every " + evalEvery + " is more than steps " + steps
                            + ": eval_every must be <= steps so that the trial is evaluated"));
        }
        checkEarlyEvals(resolved, givenAt, problems, steps, evalEvery);
        List<?> layers = (List<?>) resolved.get("bayesian_layers");
        if (layers.contains("lora_b") && !"lora".equals(resolved.get("method"))) {
            problems.add(new SweepProblem(givenAt.getOrDefault("bayesian_layers", "bayesian_layers"),
                    "layer group lora_b needs method lora (method is " + resolved.get("method") + ")"));
        }
    }
}
