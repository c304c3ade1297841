package io.bayesweep.worker;

import io.bayesweep.model.EvalSampling;
import io.bayesweep.model.EvalSchedule;
import io.bayesweep.model.TrainingConfig;
import io.bayesweep.sweep.TrainingParameters;

import java.util.List;
import java.util.Map;

/** Turns a trial's parameters (as the sweep expanded them) into the model's configuration. */
final class TrainingConfigs {
    private TrainingConfigs() {
    }

    /**
     * @throws IllegalArgumentException naming the parameter, its value and what is allowed
     */
    static TrainingConfig from(Map<String, Object> params, int checkpointEvery) {
        Map<String, Object> p = TrainingParameters.resolve(params);
        @SuppressWarnings("unchecked")
        List<String> layers = (List<String>) p.get("bayesian_layers");
        return new TrainingConfig(
                number(p, "kl_weight"), number(p, "prior_std"), number(p, "init_std"), layers,
                integer(p, "mc_samples"), (String) p.get("method"), integer(p, "lora_rank"),
                number(p, "lr"), integer(p, "steps"), integer(p, "batch_size"), integer(p, "shots"),
                (String) p.get("subject"), number(p, "prior_preservation"), ((Number) p.get("seed")).longValue(),
                checkpointEvery, integer(p, "warmup_steps"),
                new EvalSchedule(integer(p, "eval_every"), integer(p, "early_eval_every"),
                        integer(p, "early_eval_until"), EvalSampling.parse((String) p.get("eval_sampler"))));
    }

    private static double number(Map<String, Object> p, String name) {
        return ((Number) p.get(name)).doubleValue();
    }

    private static int integer(Map<String, Object> p, String name) {
        return ((Number) p.get(name)).intValue();
    }
}
