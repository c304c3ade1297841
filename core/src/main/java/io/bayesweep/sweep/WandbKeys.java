package io.bayesweep.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of W&B's sweep schema (wandb/sweeps src/sweeps/config/schema.json) that bayesweep does not support,
 * each with why, so that a W&B file fails with a clear reason instead of a silently different run.
 */
final class WandbKeys {
    private static final Map<String, String> TOP_LEVEL = new LinkedHashMap<>();
    private static final Map<String, String> METRIC = new LinkedHashMap<>();

    static {
        String launch = "bayesweep's workers run its own trainer; there is no program to launch";
        TOP_LEVEL.put("program", launch);
        TOP_LEVEL.put("command", launch);
        TOP_LEVEL.put("job", launch);
        TOP_LEVEL.put("image_uri", launch);
        TOP_LEVEL.put("imports", launch);
        String tracking = "trials are tracked by bayesweep itself";
        TOP_LEVEL.put("entity", tracking);
        TOP_LEVEL.put("project", tracking);
        TOP_LEVEL.put("controller", "bayesweep's orchestrator is the controller");
        TOP_LEVEL.put("early_terminate", "hyperband is not implemented; the corruption-stage detector watches trials");
        TOP_LEVEL.put("apiVersion", "bayesweep sweep files are not versioned by this key");
        TOP_LEVEL.put("kind", "bayesweep sweep files are not versioned by this key");
        String bayesOnly = "it only matters for the bayes method, which bayesweep does not run";
        METRIC.put("impute", bayesOnly);
        METRIC.put("impute_while_running", bayesOnly);
    }

    private WandbKeys() {
    }

    /** The message for a top-level W&B key, or null when the key is not one of W&B's. */
    static String unsupportedTopLevel(String key) {
        return message(key, TOP_LEVEL.get(key));
    }

    static String unsupportedInMetric(String key) {
        return message(key, METRIC.get(key));
    }

    private static String message(String key, String why) {
        return why == null ? null : "W&B key '" + key + "' is not supported by bayesweep (" + why + ")";
    }
}
