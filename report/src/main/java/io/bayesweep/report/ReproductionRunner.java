package io.bayesweep.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayesweep.model.BaseModel;
import io.bayesweep.model.EvalReport;
import io.bayesweep.model.FineTuner;
import io.bayesweep.model.TrainingException;
import io.bayesweep.model.TrainingListener;
import io.bayesweep.model.TrainingResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Runs the reproduction's one-shot fine-tuning runs with the bundled base model ({@code new FineTuner()}),
 * each into {@code OUT/<run-name>/} ({@link RunFolder}). Resumable: stop it at any time (Ctrl-C, kill,
 * {@code --max-minutes}, or a file {@code OUT/STOP}) and run the same command again: finished runs are skipped,
 * an unfinished one resumes from its newest checkpoint (FineTuner's resumption is bit-exact, so the metrics of
 * the replayed steps are the same), the others start.
 *
 * <pre>
 * java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Xmx1g \
 *   -cp "report/target/classes:$(cat report/target/report-classpath.txt)" io.bayesweep.report.ReproductionRunner \
 *   --out data/reproduction [--plan FILE.tsv | --subjects wink,blue_heart --bnn-lr 3e-4] [--only REGEX]
 *   [--base-model FILE.bsw]
 *   [--steps N --eval-every N] [--max-minutes M] [--print-plan] [--retry-failed]
 * </pre>
 */
public final class ReproductionRunner {
    private final Path out;
    private final PrintStream log;
    private final BooleanSupplier externalStop;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final boolean hasDeadline;
    private final long deadlineNanos;
    private final boolean retryFailed;
    private final BaseModelFile baseModel;
    private FineTuner tuner;

    /** The base model every run fine-tunes: the bundled one, or a file ({@code --base-model}). */
    public record BaseModelFile(Path file, String sha256) {
        static BaseModelFile bundled() {
            try (InputStream in = FineTuner.class.getResourceAsStream(BaseModel.RESOURCE)) {
                return new BaseModelFile(null, in == null ? null : digest(in));
            } catch (IOException e) {
                return new BaseModelFile(null, null);
            }
        }

        static BaseModelFile of(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return new BaseModelFile(file, digest(in));
            }
        }

        BaseModel load() {
            try {
                return file == null ? BaseModel.bundled() : BaseModel.load(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read base model " + file, e);
            }
        }
    }

    /** What happened to one run in this invocation. */
    public record Outcome(String name, String status, long lastStep, double wallSeconds) {
    }

    public ReproductionRunner(Path out, PrintStream log, double maxMinutes, boolean retryFailed,
                              BooleanSupplier externalStop) {
        this(out, log, maxMinutes, retryFailed, externalStop, BaseModelFile.bundled());
    }

    public ReproductionRunner(Path out, PrintStream log, double maxMinutes, boolean retryFailed,
                              BooleanSupplier externalStop, BaseModelFile baseModel) {
        this.baseModel = baseModel;
        this.out = out;
        this.log = log;
        this.retryFailed = retryFailed;
        this.externalStop = externalStop;
        this.hasDeadline = Double.isFinite(maxMinutes) && maxMinutes > 0;
        this.deadlineNanos = hasDeadline ? System.nanoTime() + (long) (maxMinutes * 60e9) : 0;
    }

    public static void main(String[] args) throws Exception {
        defaultProperty("ai.djl.pytorch.num_threads", "1");
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("OPT_OUT_TRACKING", "true");
        defaultProperty("java.awt.headless", "true");
        Args a = new Args(args);
        Path out = Path.of(a.get("out", "data/reproduction"));
        List<RunSpec> plan;
        if (a.has("plan")) {
            plan = Plan.read(Path.of(a.get("plan", null)));
        } else {
            List<String> subjects = Arrays.stream(a.get("subjects", "wink").split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            plan = Plan.defaultPlan(subjects, Double.parseDouble(a.get("bnn-lr", "3e-4")));
        }
        if (a.has("steps") || a.has("eval-every")) {
            List<RunSpec> changed = new ArrayList<>();
            for (RunSpec s : plan) {
                changed.add(s.withSteps(Integer.parseInt(a.get("steps", Integer.toString(s.steps()))),
                        Integer.parseInt(a.get("eval-every", Integer.toString(s.evalEvery())))));
            }
            plan = changed;
        }
        if (a.has("only")) {
            Pattern only = Pattern.compile(a.get("only", ".*"));
            plan = plan.stream().filter(s -> only.matcher(s.name()).find()).toList();
        }
        boolean printPlan = a.flag("print-plan");
        boolean retryFailed = a.flag("retry-failed");
        double maxMinutes = Double.parseDouble(a.get("max-minutes", "Infinity"));
        BaseModelFile base = a.has("base-model") ? BaseModelFile.of(Path.of(a.get("base-model", null)))
                : BaseModelFile.bundled();
        a.checkAllUsed();
        if (printPlan) {
            System.out.print(Plan.toTsv(plan));
            return;
        }
        if (plan.isEmpty()) {
            System.err.println("reproduce: no run selected");
            System.exit(2);
        }
        ReproductionRunner runner = new ReproductionRunner(out, System.out, maxMinutes, retryFailed,
                () -> Files.exists(out.resolve("STOP")), base);
        // Ctrl-C / kill: stop at the next step and let the current run write its run.json
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.stop.set(true);
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reproduction-stop"));
        List<Outcome> outcomes;
        try {
            outcomes = runner.runAll(plan);
        } finally {
            finished.countDown();
        }
        if (outcomes.stream().anyMatch(o -> o.status().equals("failed"))) {
            System.exit(1);
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs (or skips, or resumes) every run of the plan, in order; stops early when asked to. */
    public List<Outcome> runAll(List<RunSpec> plan) throws IOException {
        Files.createDirectories(out);
        RunFolder.writeAtomically(out.resolve("plan.tsv"), Plan.toTsv(plan));
        List<Outcome> outcomes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < plan.size(); i++) {
            if (stopRequested()) {
                log.printf("stop requested: %d of %d runs not started; run the same command again to continue%n",
                        plan.size() - i, plan.size());
                break;
            }
            RunSpec spec = plan.get(i);
            String tag = String.format("[%d/%d %s]", i + 1, plan.size(), spec.name());
            outcomes.add(runOne(spec, tag, t0));
        }
        log.println("summary:");
        for (Outcome o : outcomes) {
            log.printf("  %-36s %-10s step %6d  %7.1f s%n", o.name(), o.status(), o.lastStep(), o.wallSeconds());
        }
        log.printf("total wall time %.1f min%n", (System.nanoTime() - t0) / 60e9);
        return outcomes;
    }

    /** Polled before every training step: a signal, the time limit, or the external stop (a file's existence). */
    private boolean stopRequested() {
        if (!stop.get() && (hasDeadline && System.nanoTime() - deadlineNanos > 0 || externalStop.getAsBoolean())) {
            stop.set(true);
        }
        return stop.get();
    }

    Outcome runOne(RunSpec spec, String tag, long t0) throws IOException {
        RunFolder f = new RunFolder(out.resolve(spec.name()));
        Files.createDirectories(f.samples());
        RunSpec stored = f.readSpec();
        if (stored != null && !stored.sameTrajectory(spec)) {
            throw new IllegalStateException(f.dir() + " holds a run of another configuration (" + stored.label()
                    + ", now " + spec.label() + "): give the run another name or delete the folder");
        }
        long doneStep = f.doneStep();
        if (doneStep >= spec.steps()) {
            log.printf("%s done at step %d: skipped%n", tag, doneStep);
            return new Outcome(spec.name(), "done", doneStep, wallSoFar(f));
        }
        if (Files.exists(f.failed()) && !retryFailed) {
            String why = Files.readString(f.failed(), StandardCharsets.UTF_8).strip();
            log.printf("%s failed before (%s): skipped (--retry-failed to try again)%n", tag, why);
            return new Outcome(spec.name(), "failed", lastRowStep(f), wallSoFar(f));
        }
        Files.deleteIfExists(f.done()); // a finished run extended to more steps
        Files.deleteIfExists(f.failed());
        List<MetricsCsv.Row> rows = new ArrayList<>(Files.exists(f.metrics()) ? MetricsCsv.read(f.metrics()) : List.of());

        ObjectNode json = f.readRunJson();
        if (json == null) {
            json = RunFolder.JSON.createObjectNode();
        }
        String storedBase = json.path("base_model_sha256").asText(null);
        if (storedBase != null && baseModel.sha256() != null && !storedBase.equals(baseModel.sha256())) {
            throw new IllegalStateException(f.dir() + " was started from another base model (SHA-256 " + storedBase
                    + ", now " + baseModel.sha256() + "): give the run another name or use the same --base-model");
        }
        json.put("name", spec.name());
        json.put("label", spec.label());
        json.put("subject", spec.subject());
        json.put("baseline", spec.baseline());
        json.set("spec", RunFolder.JSON.valueToTree(spec));
        json.set("config", RunFolder.JSON.valueToTree(spec.toConfig()));
        json.put("base_model_sha256", baseModel.sha256());
        json.put("base_model", baseModel.file() == null ? "bundled" : baseModel.file().toString());
        json.put("status", "running");
        ArrayNode periods = json.has("periods") ? (ArrayNode) json.get("periods") : json.putArray("periods");
        ObjectNode period = periods.addObject();
        period.put("started", Instant.now().toString());
        period.put("threads", System.getProperty("ai.djl.pytorch.num_threads"));
        f.writeRunJson(json);

        long start = System.nanoTime();
        double before = json.path("wall_seconds").asDouble(0);
        long[] from = {0};
        ObjectNode j = json;
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStart(long fromStep, long totalSteps) {
                from[0] = fromStep;
                period.put("from_step", fromStep);
                // evals after the checkpoint are replayed (bit-identically): drop them to write them again
                rows.removeIf(r -> r.step() > fromStep);
                try {
                    for (long s : f.sampleSteps()) {
                        if (s > fromStep) {
                            Files.deleteIfExists(f.sample(s));
                        }
                    }
                    MetricsCsv.write(f.metrics(), rows);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                log.printf("%s %s %s, %d steps, eval every %d%n", tag,
                        fromStep > 0 ? "resuming from step " + fromStep + ":" : "starting:", spec.label(),
                        totalSteps, spec.evalEvery());
            }

            @Override
            public void onEval(EvalReport report) {
                rows.add(new MetricsCsv.Row(report.step(), report.metrics()));
                try {
                    Files.write(f.sample(report.step()), report.samplePng());
                    MetricsCsv.write(f.metrics(), rows);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                double run = (System.nanoTime() - start) / 1e9;
                long done = report.step() - from[0];
                double perStep = done > 0 ? run / done : 0;
                var m = report.metrics();
                log.printf(Locale.ROOT, "%s step %6d/%d  fidelity %.3f  noise %.4f  sigma1 %.3f  memo %.3f  loss %.4f"
                                + "  | %.1f s, %.1f steps/s, eta %.1f min | all %.1f min%n",
                        tag, report.step(), report.totalSteps(), m.getOrDefault("fidelity", Double.NaN),
                        m.getOrDefault("noise", Double.NaN), m.getOrDefault("sigma1", Double.NaN),
                        m.getOrDefault("memorization", Double.NaN), m.getOrDefault("loss", Double.NaN), run,
                        perStep > 0 ? 1 / perStep : 0, perStep * (report.totalSteps() - report.step()) / 60,
                        (System.nanoTime() - t0) / 60e9);
            }

            @Override
            public void onCheckpoint(long step) {
                j.put("last_checkpoint", step);
                period.put("to_step", step);
                period.put("wall_seconds", round((System.nanoTime() - start) / 1e9));
                j.put("wall_seconds", round(before + (System.nanoTime() - start) / 1e9));
                try {
                    f.writeRunJson(j);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        String status;
        long lastStep;
        try {
            TrainingResult r = tuner().run(spec.toConfig(), f.checkpoints(), listener, this::stopRequested);
            lastStep = r.lastStep();
            status = r.cancelled() ? "stopped" : "done";
        } catch (TrainingException e) {
            status = "failed";
            lastStep = lastRowStep(f);
            json.put("error", e.getMessage());
            RunFolder.writeAtomically(f.failed(), e.getMessage() + "\n");
            log.printf("%s FAILED: %s%n", tag, e.getMessage());
        }
        double wall = (System.nanoTime() - start) / 1e9;
        period.put("to_step", lastStep);
        period.put("wall_seconds", round(wall));
        period.put("ended", Instant.now().toString());
        json.put("status", status);
        json.put("last_step", lastStep);
        json.put("wall_seconds", round(before + wall));
        f.writeRunJson(json);
        if (status.equals("done")) {
            RunFolder.writeAtomically(f.done(), lastStep + "\n");
            log.printf("%s done: %d steps in %.1f s (%.1f s in all)%n", tag, lastStep, wall, before + wall);
        } else if (status.equals("stopped")) {
            log.printf("%s stopped at step %d (resumes from the newest checkpoint, every %d steps)%n", tag, lastStep,
                    spec.checkpointEvery());
        }
        return new Outcome(spec.name(), status, lastStep, before + wall);
    }

    private FineTuner tuner() {
        if (tuner == null) {
            tuner = new FineTuner(baseModel.load());
        }
        return tuner;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    private static double wallSoFar(RunFolder f) throws IOException {
        ObjectNode n = f.readRunJson();
        return n == null ? 0 : n.path("wall_seconds").asDouble(0);
    }

    private static long lastRowStep(RunFolder f) throws IOException {
        if (!Files.exists(f.metrics())) {
            return 0;
        }
        List<MetricsCsv.Row> rows = MetricsCsv.read(f.metrics());
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step();
    }

    private static String digest(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /** {@code --key value} options and {@code --flag}s. */
    static final class Args {
        private final java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Args(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
                String key = args[i].substring(2);
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    values.put(key, args[++i]);
                } else {
                    values.put(key, "true");
                }
            }
        }

        boolean has(String key) {
            used.add(key);
            return values.containsKey(key);
        }

        String get(String key, String fallback) {
            used.add(key);
            return values.getOrDefault(key, fallback);
        }

        boolean flag(String key) {
            used.add(key);
            return Boolean.parseBoolean(values.getOrDefault(key, "false"));
        }

        void checkAllUsed() {
            for (String k : values.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k);
                }
            }
        }
    }
}
