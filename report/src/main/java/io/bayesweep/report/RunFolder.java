package io.bayesweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayesweep.model.FineTuner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of one run's folder {@code DIR/<run-name>/}:
 *
 * <pre>
 * metrics.csv                  one row per eval step ({@link MetricsCsv})
 * samples/step-00000020.png    the eval's 8 samples (EvalReport.samplePng: 2 rows x 4, 64 px tiles, 2 px borders)
 * run.json                     the spec, the TrainingConfig, status, wall time per working period
 * checkpoints/ckpt-*.bsw       FineTuner's checkpoints (the newest 2)
 * DONE                         written when the run finished; holds its last step
 * FAILED                       written when FineTuner threw (e.g. "loss diverged"); holds the message
 * </pre>
 */
public final class RunFolder {
    public static final String METRICS = "metrics.csv";
    public static final String RUN_JSON = "run.json";
    public static final String SAMPLES = "samples";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SAMPLE = Pattern.compile("step-(\\d{8})\\.png");

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }

    public Path runJson() {
        return dir.resolve(RUN_JSON);
    }

    public Path samples() {
        return dir.resolve(SAMPLES);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    public Path done() {
        return dir.resolve(DONE);
    }

    public Path failed() {
        return dir.resolve(FAILED);
    }

    public static String sampleName(long step) {
        return String.format("step-%08d.png", step);
    }

    public Path sample(long step) {
        return samples().resolve(sampleName(step));
    }

    /** The steps of the stored sample grids, ascending. */
    public List<Long> sampleSteps() throws IOException {
        List<Long> steps = new ArrayList<>();
        if (!Files.isDirectory(samples())) {
            return steps;
        }
        try (Stream<Path> files = Files.list(samples())) {
            files.forEach(p -> {
                Matcher m = SAMPLE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    steps.add(Long.parseLong(m.group(1)));
                }
            });
        }
        steps.sort(null);
        return steps;
    }

    /** The last step of a finished run, or -1 when it has no DONE marker. */
    public long doneStep() throws IOException {
        if (!Files.exists(done())) {
            return -1;
        }
        String s = Files.readString(done(), StandardCharsets.UTF_8).strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** run.json as a tree, or null when there is none. */
    public ObjectNode readRunJson() throws IOException {
        if (!Files.exists(runJson())) {
            return null;
        }
        JsonNode n = JSON.readTree(runJson().toFile());
        return n instanceof ObjectNode o ? o : null;
    }

    /** The spec stored in run.json, or null when there is none. */
    public RunSpec readSpec() throws IOException {
        ObjectNode n = readRunJson();
        if (n == null || !n.has("spec")) {
            return null;
        }
        ObjectNode spec = (ObjectNode) n.get("spec");
        if (!spec.has("warmupSteps")) {
            // written before warmup_steps was a setting: those runs warmed up over the default
            spec.put("warmupSteps", FineTuner.WARMUP_STEPS);
        }
        return JSON.treeToValue(spec, RunSpec.class);
    }

    public void writeRunJson(ObjectNode node) throws IOException {
        writeAtomically(runJson(), JSON.writeValueAsString(node) + "\n");
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
