package io.bayesweep.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of the module's command-line tools (Pretrain, TrialBench, ModelBenchmark,
 * TrainEncoder, PrepareEmojiData). Strict, so that a typo is an error and not a silently used default: every
 * argument must be a {@code --name value} pair, and {@link #rejectUnknown()} refuses any option the tool did not
 * read.
 */
public final class ToolArgs {
    private final Map<String, String> values;
    private final Set<String> read = new LinkedHashSet<>();

    private ToolArgs(Map<String, String> values) {
        this.values = values;
    }

    public static ToolArgs parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            a.put(args[i].substring(2), args[++i]);
        }
        return new ToolArgs(a);
    }

    public String getOrDefault(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    /** The value, or null when the option was not given. */
    public String get(String name) {
        return getOrDefault(name, null);
    }

    public boolean containsKey(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    /** The given options, by name (for tests and error messages). */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** Call after reading every option: one the tool never asked for is a typo or a misunderstanding. */
    public void rejectUnknown() {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + unknown + "; known: " + read);
        }
    }

    /** The tools train on one libtorch thread unless told otherwise (-Dai.djl.pytorch.num_threads). */
    public static void defaultToOneThread() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
    }
}
