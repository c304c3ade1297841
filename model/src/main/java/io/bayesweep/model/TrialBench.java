package io.bayesweep.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one fine-tuning trial from the command line and prints its timing and metrics; writes every eval
 * grid and a metrics CSV to {@code --out}. For measuring speed and looking at samples, not for production.
 *
 * <pre>
 * java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Xmx1g \
 *   -cp model/target/classes:$(cat model/target/classpath.txt) io.bayesweep.model.TrialBench \
 *   --steps 400 --eval-every 20 --subject wink --bayesian conv --out /tmp/trial
 * </pre>
 */
public final class TrialBench {
    private TrialBench() {
    }

    public static void main(String[] args) throws Exception {
        ToolArgs.defaultToOneThread();
        ToolArgs a = ToolArgs.parse(args);
        String bayes = a.getOrDefault("bayesian", "");
        List<String> groups = bayes.isBlank() ? List.of() : Arrays.asList(bayes.split(","));
        TrainingConfig cfg = new TrainingConfig(Double.parseDouble(a.getOrDefault("kl-weight", "0.1")),
                Double.parseDouble(a.getOrDefault("prior-std", "0.01")),
                Double.parseDouble(a.getOrDefault("init-std", "0.001")), groups,
                Integer.parseInt(a.getOrDefault("mc-samples", "1")), a.getOrDefault("method", "full"),
                Integer.parseInt(a.getOrDefault("lora-rank", "4")), Double.parseDouble(a.getOrDefault("lr", "3e-4")),
                Integer.parseInt(a.getOrDefault("steps", "400")), Integer.parseInt(a.getOrDefault("batch", "8")),
                Integer.parseInt(a.getOrDefault("shots", "1")), a.getOrDefault("subject", io.bayesweep.model.emoji.Subjects.names().get(0)),
                Double.parseDouble(a.getOrDefault("prior-preservation", "0")),
                Integer.parseInt(a.getOrDefault("eval-every", "20")), Long.parseLong(a.getOrDefault("seed", "1")),
                Integer.parseInt(a.getOrDefault("checkpoint-every", "100")));
        Path out = Path.of(a.getOrDefault("out", "trial-bench"));
        a.rejectUnknown();
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoints");
        List<String> csv = new ArrayList<>();
        long[] evalNanos = {0};
        long[] lastStepEnd = {System.nanoTime()};
        long t0 = System.nanoTime();
        TrainingResult r = new FineTuner().run(cfg, ckpt, new TrainingListener() {
            long evalStart;

            @Override
            public void onStep(StepReport report) {
                evalStart = System.nanoTime();
            }

            @Override
            public void onEval(EvalReport report) {
                long now = System.nanoTime();
                evalNanos[0] += now - evalStart;
                if (csv.isEmpty()) {
                    csv.add("step," + String.join(",", new java.util.TreeMap<>(report.metrics()).keySet()));
                }
                StringBuilder line = new StringBuilder(Long.toString(report.step()));
                new java.util.TreeMap<>(report.metrics()).values().forEach(v -> line.append(',')
                        .append(String.format("%.5f", v)));
                csv.add(line.toString());
                System.out.println(line);
                try {
                    Files.write(out.resolve(String.format("eval-%05d.png", report.step())), report.samplePng());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                lastStepEnd[0] = System.nanoTime();
            }
        }, () -> false);
        double wall = (System.nanoTime() - t0) / 1e9;
        double eval = evalNanos[0] / 1e9;
        Files.write(out.resolve("metrics.csv"), csv);
        long ckptBytes = 0;
        try (Stream<Path> files = Files.exists(ckpt) ? Files.list(ckpt) : Stream.empty()) {
            ckptBytes = files.mapToLong(p -> p.toFile().length()).max().orElse(0);
        }
        System.out.printf("trial: %d steps in %.1f s (eval %.1f s over %d evals, %.2f s each); "
                        + "training %.1f steps/s; checkpoint %d bytes%n", r.lastStep(), wall, eval, csv.size() - 1,
                eval / Math.max(1, csv.size() - 1), r.lastStep() / (wall - eval), ckptBytes);
    }
}
