package io.bayesweep.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.Subjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model's speed benchmark (issue 3, item 8): in one JVM on one machine it measures
 * <ol>
 *   <li>the fp32 matmul ceiling: DJL {@code NDArray.matMul} of square matrices (default 512 and 1024),
 *       best of several timed trials after a warm-up, on the same intra-op thread count as training
 *       ({@code -Dai.djl.pytorch.num_threads}, default 1);</li>
 *   <li>the model's training FLOPs per step, counted analytically from the base model's parameter shapes
 *       (the same shapes as {@code UNet.specs()}; {@link BaseModel} checks that) and the resolution each layer
 *       runs at ({@link #outputSide}): forward FLOPs per image times 3 (forward + backward) times the batch
 *       size; hence the steps/s the matmul ceiling allows;</li>
 *   <li>fine-tuning steps/s through the public {@link FineTuner#run} (real training; one eval, at the last
 *       step, outside the timed window; no checkpoints except where item 4 needs one) for the plain
 *       baseline, each single Bayesian group, {@code [attn, conv]}, LoRA plain and LoRA with
 *       {@code lora_b}; the plain baseline runs first and again last, and the ratios use the mean of the
 *       two, so that drift of a shared machine's load shows and partly cancels;</li>
 *   <li>sampling time of a baseline-trained and a BNN-trained ({@code [attn, conv]}) model. This times the
 *       eval that {@link FineTuner} itself does (8 samples, 20-step DDIM with the mean weights, plus the
 *       sample metrics and the PNG grid, which take a few ms): each model's trial is resumed from its
 *       final checkpoint with {@code eval_every = 1} and every eval is timed from the {@code onStep} of its
 *       step to its {@code onEval}. Baseline and BNN alternate in rounds; the first eval of each resumed run
 *       is a warm-up and is dropped; the ratio is of the medians. The BNN model's eval also computes
 *       {@code sigma_mean} (a softplus over every rho), which is part of what its eval costs;</li>
 *   <li>resident memory over {@code --rss-steps} steps of the {@code [attn, conv]} trial run like a real
 *       trial (eval every {@code --rss-eval-every}, checkpoint every {@code --rss-checkpoint-every} steps):
 *       {@code VmRSS} of {@code /proc/self/status} every {@code --rss-every} steps, the peak, and the growth
 *       from step min(500, steps/4) to the end (flat = growth below 5%);</li>
 *   <li>a markdown summary with each target and PASS/GAP, the machine and the command line, printed and,
 *       with {@code --out FILE}, written there.</li>
 * </ol>
 *
 * <p>Full run (from the repository root, on an otherwise idle machine, about 5-10 minutes at one thread):
 * <pre>
 * ./mvnw -q -pl model -am -DskipTests install
 * ./mvnw -q -pl model dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
 * OMP_WAIT_POLICY=PASSIVE java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Xmx1g \
 *   -cp model/target/classes:$(cat model/target/classpath.txt) io.bayesweep.model.ModelBenchmark \
 *   --steps-per-config 300 --rss-steps 2000 --batch 8 --threads 1 --out docs/model-benchmark.md
 * </pre>
 * Other options: {@code --warmup 30} (steps not timed per config), {@code --sample-passes 20} (timed evals
 * per model), {@code --sample-rounds 4}, {@code --matmul-sizes 512,1024}, {@code --rss-every 100},
 * {@code --rss-eval-every 100}, {@code --rss-checkpoint-every 500}, {@code --subject} (default: the first of
 * {@code Subjects.names()}), {@code --lr 3e-4}, {@code --seed 1}, {@code --keep-dirs true},
 * {@code --base-model bundled|random|FILE} (random: untrained weights of the same shapes, for a quick check of
 * the command when no compatible base model is built yet; speed does not depend on the weights' values).
 *
 * <p>A short check of the command itself (a minute or two):
 * {@code --steps-per-config 40 --rss-steps 200 --rss-every 20 --rss-eval-every 50 --rss-checkpoint-every 100
 * --sample-passes 4}.
 */
public final class ModelBenchmark {
    /** The step-time target of a BNN trial with {@code [attn, conv]} against the plain baseline. */
    static final double BNN_STEP_RATIO_MAX = 1.15;
    /** Sampling time ratio BNN / baseline must be within 1 +- this. */
    static final double SAMPLING_RATIO_TOL = 0.05;
    /** RSS growth after warm-up below which memory counts as flat. */
    static final double RSS_GROWTH_MAX = 0.05;
    /** Plain steps/s must reach this share of what the matmul ceiling allows. */
    static final double CEILING_SHARE_MIN = 0.70;
    /** Backward costs about twice the forward pass (gradients of inputs and of weights). */
    static final int TRAIN_FLOPS_FACTOR = 3;

    private ModelBenchmark() {
    }

    /** One fine-tuning configuration of the benchmark. */
    record Variant(String label, String method, List<String> groups) {
    }

    /** Timing of one fine-tuning run. */
    record StepTiming(String label, long timedSteps, double seconds, double medianStepMs, double load1Before,
                      double load1After) {
        double stepsPerSecond() {
            return timedSteps / seconds;
        }
    }

    /** Forward FLOPs of one image, by kind. */
    record Flops(long conv, long linear, long attention) {
        long total() {
            return conv + linear + attention;
        }
    }

    /** The command-line options (see the class comment). */
    record Options(String threads, int stepsPerConfig, int warmup, int rssSteps, int rssEvery, int rssEvalEvery,
                   int rssCheckpointEvery, int batch, int samplePasses, int sampleRounds, double lr, long seed,
                   String subject, int[] matmulSizes, boolean keepDirs, String out, String baseModel) {
        static Options parse(String[] args) {
            ToolArgs a = ToolArgs.parse(args);
            String threadProp = System.getProperty("ai.djl.pytorch.num_threads");
            String threads = a.getOrDefault("threads", threadProp == null ? "1" : threadProp);
            if (threadProp != null && !threadProp.equals(threads)) {
                throw new IllegalArgumentException("--threads " + threads
                        + " contradicts -Dai.djl.pytorch.num_threads=" + threadProp);
            }
            Options o = new Options(threads, Integer.parseInt(a.getOrDefault("steps-per-config", "300")),
                    Integer.parseInt(a.getOrDefault("warmup", "30")), Integer.parseInt(a.getOrDefault("rss-steps", "2000")),
                    Integer.parseInt(a.getOrDefault("rss-every", "100")),
                    Integer.parseInt(a.getOrDefault("rss-eval-every", "100")),
                    Integer.parseInt(a.getOrDefault("rss-checkpoint-every", "500")),
                    Integer.parseInt(a.getOrDefault("batch", "8")), Integer.parseInt(a.getOrDefault("sample-passes", "20")),
                    Integer.parseInt(a.getOrDefault("sample-rounds", "4")), Double.parseDouble(a.getOrDefault("lr", "3e-4")),
                    Long.parseLong(a.getOrDefault("seed", "1")), a.getOrDefault("subject", Subjects.names().get(0)),
                    Arrays.stream(a.getOrDefault("matmul-sizes", "512,1024").split(","))
                            .mapToInt(x -> Integer.parseInt(x.trim())).toArray(),
                    Boolean.parseBoolean(a.getOrDefault("keep-dirs", "false")), a.get("out"),
                    a.getOrDefault("base-model", "bundled"));
            a.rejectUnknown();
            if (o.warmup < 1 || o.stepsPerConfig < o.warmup + 2 || o.rssSteps < 1 || o.rssEvery < 1
                    || o.rssEvalEvery < 1 || o.rssCheckpointEvery < 0 || o.samplePasses < 1 || o.sampleRounds < 1) {
                throw new IllegalArgumentException("need --steps-per-config >= --warmup + 2, --warmup >= 1, positive "
                        + "--rss-steps, --rss-every, --rss-eval-every, --sample-passes, --sample-rounds and "
                        + "--rss-checkpoint-every >= 0");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.setProperty("ai.djl.pytorch.num_threads", o.threads()); // before the engine loads
        String command = commandLine(args);
        Path work = Files.createTempDirectory("bayesweep-bench");
        StringBuilder report = new StringBuilder();
        try {
            run(new FineTuner(baseModel(o.baseModel())), work, report, command, o);
        } finally {
            if (!o.keepDirs()) {
                deleteRecursively(work);
            } else {
                System.out.println("kept trial directories under " + work);
            }
        }
        if (o.out() != null) {
            Path out = Path.of(o.out());
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, report);
            System.out.println("wrote " + out);
        }
    }

    private static void run(FineTuner tuner, Path work, StringBuilder report, String command, Options o)
            throws Exception {
        int stepsPerConfig = o.stepsPerConfig();
        int warmup = o.warmup();
        int rssSteps = o.rssSteps();
        int batch = o.batch();
        int sampleRounds = o.sampleRounds();
        double lr = o.lr();
        long seed = o.seed();
        String subject = o.subject();
        // ---- 1. matmul ceiling ----
        Engine engine = Engine.getInstance();
        JniUtils.setGradMode(false);
        int torchThreads = JniUtils.getNumThreads();
        Map<Integer, Double> gflops = new LinkedHashMap<>();
        String device;
        try (NDManager m = engine.newBaseManager(ComputeDevice.select())) { // the device FineTuner trains on
            device = m.getDevice().toString();
            log("engine %s %s, device %s, intra-op threads %d", engine.getEngineName(), engine.getVersion(), device,
                    torchThreads);
            for (int n : o.matmulSizes()) {
                gflops.put(n, matmulGflops(m, n, 5));
                log("matmul %dx%d fp32: %.2f GFLOP/s (best of 5)", n, n, gflops.get(n));
            }
        }
        double ceilingGflops = gflops.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();

        // ---- 2. analytic FLOPs ----
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tuner.baseModel().weights().forEach((name, t) -> shapes.put(name, t.shape()));
        Flops fwd = forwardFlopsPerImage(shapes);
        long stepFlops = trainingFlopsPerStep(fwd, batch);
        double ceilingSps = ceilingGflops * 1e9 / stepFlops;
        log("forward FLOPs/image %.2f M (conv %.2f M, linear %.2f M, attention %.2f M); training FLOPs/step "
                        + "(x%d, batch %d) %.3f G; matmul ceiling allows %.1f steps/s", fwd.total() / 1e6,
                fwd.conv() / 1e6, fwd.linear() / 1e6, fwd.attention() / 1e6, TRAIN_FLOPS_FACTOR, batch,
                stepFlops / 1e9, ceilingSps);

        // ---- 3. steps/s per configuration ----
        Variant plain = new Variant("plain", "full", List.of());
        Variant attnConv = new Variant("[attn, conv]", "full", List.of("attn", "conv"));
        List<Variant> variants = new ArrayList<>();
        variants.add(plain);
        variants.add(attnConv);
        for (String g : List.of("conv", "attn", "norm", "time", "emb")) {
            variants.add(new Variant("[" + g + "]", "full", List.of(g)));
        }
        variants.add(new Variant("lora (plain)", "lora", List.of()));
        variants.add(new Variant("lora [lora_b]", "lora", List.of("lora_b")));
        variants.add(new Variant("plain (repeat)", "full", List.of()));
        List<StepTiming> timings = new ArrayList<>();
        Map<String, Path> trained = new LinkedHashMap<>();
        Map<String, TrainingConfig> trainedCfg = new LinkedHashMap<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            // the first plain and the [attn, conv] trials keep a final checkpoint for the sampling benchmark
            boolean keep = i == 0 || v == attnConv;
            TrainingConfig cfg = config(v, stepsPerConfig, batch, lr, seed, subject, stepsPerConfig,
                    keep ? stepsPerConfig : 0);
            Path dir = work.resolve("trial-" + i);
            double loadBefore = load1();
            StepClock clock = new StepClock(warmup, 0, null);
            tuner.run(cfg, dir, clock, () -> false);
            StepTiming t = clock.timing(v.label(), loadBefore, load1());
            timings.add(t);
            log("%-15s %7.2f steps/s, median step %.2f ms (%d timed steps; load %.2f -> %.2f)", v.label(),
                    t.stepsPerSecond(), t.medianStepMs(), t.timedSteps(), t.load1Before(), t.load1After());
            if (keep) {
                trained.put(v.label(), dir);
                trainedCfg.put(v.label(), cfg);
            }
        }
        StepTiming plain1 = timings.get(0);
        StepTiming plain2 = timings.get(timings.size() - 1);
        double plainMedianMs = (plain1.medianStepMs() + plain2.medianStepMs()) / 2;
        double plainSps = (plain1.stepsPerSecond() + plain2.stepsPerSecond()) / 2;
        double plainMeanMs = 1000 / plainSps;

        // ---- 4. sampling time ----
        Map<String, List<Double>> evalMs = new LinkedHashMap<>();
        int perRound = Math.max(1, (int) Math.ceil(o.samplePasses() / (double) sampleRounds));
        for (int r = 0; r < sampleRounds; r++) {
            for (String label : trained.keySet()) {
                TrainingConfig base = trainedCfg.get(label);
                TrainingConfig cfg = config(variantOf(label, variants), base.steps() + 1 + perRound, batch, lr, seed,
                        subject, 1, 0);
                StepClock clock = new StepClock(1, 0, null);
                tuner.run(cfg, trained.get(label), clock, () -> false);
                List<Double> ms = clock.evalMs.subList(1, clock.evalMs.size()); // first eval: warm-up
                evalMs.computeIfAbsent(label, k -> new ArrayList<>()).addAll(ms);
                log("sampling round %d, %-13s evals (ms): %s", r + 1, label, fmtList(ms, "%.1f"));
            }
        }
        double samplePlainMs = median(evalMs.get(plain.label()));
        double sampleBnnMs = median(evalMs.get(attnConv.label()));
        double samplingRatio = sampleBnnMs / samplePlainMs;
        log("sampling (eval of 8 samples x %d DDIM steps): baseline median %.1f ms, BNN [attn, conv] median %.1f ms, "
                + "ratio %.3f", FineTuner.DDIM_STEPS, samplePlainMs, sampleBnnMs, samplingRatio);

        // ---- 5. resident memory over a long BNN trial ----
        TrainingConfig rssCfg = config(attnConv, rssSteps, batch, lr, seed, subject, o.rssEvalEvery(),
                o.rssCheckpointEvery());
        List<long[]> rss = new ArrayList<>(); // {step, kB}
        StepClock rssClock = new StepClock(Math.min(warmup, Math.max(1, rssSteps / 2)), o.rssEvery(), rss);
        rss.add(new long[] {0, statusKb(readStatus(), "VmRSS")});
        tuner.run(rssCfg, work.resolve("trial-rss"), rssClock, () -> false);
        long hwmKb = statusKb(readStatus(), "VmHWM");
        long growthFrom = Math.min(500, rssSteps / 4);
        double growth = rssGrowth(rss, growthFrom);
        long peakKb = rss.stream().mapToLong(x -> x[1]).max().orElse(-1);
        log("RSS over %d steps of [attn, conv]: peak %.1f MB, growth from step %d %.2f%%; process VmHWM %.1f MB",
                rssSteps, peakKb / 1024.0, growthFrom, 100 * growth, hwmKb / 1024.0);

        // ---- 6. report ----
        StepTiming bnn = timings.get(1);
        double bnnRatio = bnn.medianStepMs() / plainMedianMs;
        double ceilingShare = plainSps / ceilingSps;
        Locale l = Locale.ROOT;
        report.append("# Model benchmark\n\n");
        report.append(String.format(l, "Machine: %d cores (Runtime.availableProcessors), %s; Java %s; %s %s, %d "
                        + "intra-op thread(s) (requested %s), device %s; base model %s; load average (1 min) at the end %.2f.%n%n", Runtime.getRuntime()
                        .availableProcessors(), cpuModel(), System.getProperty("java.version"), engine.getEngineName(),
                engine.getVersion(), torchThreads, o.threads(), device, o.baseModel(), load1()));
        report.append("Command: `").append(command).append("`\n\n");
        report.append("## Targets\n\n| target | measured | result |\n| --- | --- | --- |\n");
        report.append(String.format(l, "| BNN `[attn, conv]` step time <= %.2fx plain | %.3fx (median step %.2f ms vs "
                        + "%.2f ms) | %s |%n", BNN_STEP_RATIO_MAX, bnnRatio, bnn.medianStepMs(), plainMedianMs,
                bnnRatio <= BNN_STEP_RATIO_MAX ? "PASS" : "GAP"));
        report.append(String.format(l, "| sampling time ratio BNN / baseline 1.00 +- %.2f | %.3f (%.1f ms vs %.1f ms) "
                        + "| %s |%n", SAMPLING_RATIO_TOL, samplingRatio, sampleBnnMs, samplePlainMs,
                Math.abs(samplingRatio - 1) <= SAMPLING_RATIO_TOL ? "PASS" : "GAP"));
        report.append(String.format(l, "| RSS flat after warm-up (growth from step %d to %d < %.0f%%) | %+.2f%% "
                        + "(peak %.1f MB) | %s |%n", growthFrom, rssSteps, 100 * RSS_GROWTH_MAX, 100 * growth,
                peakKb / 1024.0, growth < RSS_GROWTH_MAX ? "PASS" : "GAP"));
        report.append(String.format(l, "| plain steps/s >= %.0f%% of the matmul ceiling's | %.2f of %.2f steps/s = "
                        + "%.1f%% | %s |%n%n", 100 * CEILING_SHARE_MIN, plainSps, ceilingSps, 100 * ceilingShare,
                ceilingShare >= CEILING_SHARE_MIN ? "PASS" : "GAP"));

        report.append("## Matmul ceiling (fp32, DJL NDArray.matMul, best of 5)\n\n| size | GFLOP/s |\n| --- | --- |\n");
        gflops.forEach((n, g) -> report.append(String.format(l, "| %dx%d | %.2f |%n", n, n, g)));
        report.append(String.format(l, "%nCeiling: %.2f GFLOP/s.%n%n", ceilingGflops));

        report.append("## Training FLOPs (analytic)\n\n");
        report.append(String.format(l, "Forward per image: %.2f MFLOP (conv %.2f, linear %.2f, attention "
                        + "matmuls %.2f; norms, activations and element-wise ops not counted). Per training step: "
                        + "x%d (forward + backward) x batch %d = %.3f GFLOP, so the ceiling allows %.1f steps/s.%n%n",
                fwd.total() / 1e6, fwd.conv() / 1e6, fwd.linear() / 1e6, fwd.attention() / 1e6, TRAIN_FLOPS_FACTOR,
                batch, stepFlops / 1e9, ceilingSps));

        report.append(String.format(l, "## Fine-tuning speed (%d steps per configuration, first %d untimed, batch %d, "
                + "subject %s)%n%n", stepsPerConfig, warmup, batch, subject));
        report.append("| configuration | steps/s | median step (ms) | step time vs plain (median) | vs plain (mean) "
                + "| achieved GFLOP/s | load 1 min before -> after |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (StepTiming t : timings) {
            report.append(String.format(l, "| %s | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f -> %.2f |%n", t.label(),
                    t.stepsPerSecond(), t.medianStepMs(), t.medianStepMs() / plainMedianMs,
                    (1000 / t.stepsPerSecond()) / plainMeanMs, t.stepsPerSecond() * stepFlops / 1e9,
                    t.load1Before(), t.load1After()));
        }
        report.append(String.format(l, "%nRatios are against the mean of the two plain runs (drift between them: "
                        + "%+.1f%%). Achieved GFLOP/s uses the plain model's FLOPs for every row.%n%n",
                100 * (plain2.medianStepMs() / plain1.medianStepMs() - 1)));

        report.append(String.format(l, "## Sampling time%n%nThe eval FineTuner runs (%d samples, %d-step DDIM, mean "
                        + "weights, plus metrics and PNG), timed from onStep to onEval in trials resumed from each model's "
                        + "final checkpoint with eval_every 1; %d round(s), first eval of each resumed run dropped.%n%n"
                        + "| model | evals | median (ms) | min (ms) | mean (ms) |%n| --- | --- | --- | --- | --- |%n",
                FineTuner.EVAL_SAMPLES, FineTuner.DDIM_STEPS, sampleRounds));
        evalMs.forEach((label, ms) -> report.append(String.format(l, "| %s | %d | %.1f | %.1f | %.1f |%n", label,
                ms.size(), median(ms), ms.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN))));
        report.append(String.format(l, "%nRatio (medians): %.3f.%n%n", samplingRatio));

        report.append(String.format(l, "## Resident memory (%d steps of `[attn, conv]`, eval every %d, checkpoint "
                        + "every %d; %.2f steps/s including those)%n%n| step | VmRSS (MB) |%n| --- | --- |%n", rssSteps,
                o.rssEvalEvery(), o.rssCheckpointEvery(), rssClock.overallStepsPerSecond()));
        for (long[] s : rss) {
            report.append(String.format(l, "| %d | %.1f |%n", s[0], s[1] / 1024.0));
        }
        report.append(String.format(l, "%nPeak of the series %.1f MB; growth from step %d to the end %+.2f%%; "
                + "process VmHWM (whole run) %.1f MB.%n", peakKb / 1024.0, growthFrom, 100 * growth, hwmKb / 1024.0));
        System.out.println();
        System.out.print(report);
    }

    /** {@code bundled} (the shipped model), {@code random} (untrained weights: same shapes, same speed) or a file. */
    static BaseModel baseModel(String which) throws IOException {
        return switch (which) {
            case "bundled" -> BaseModel.bundled();
            case "random" -> BaseModel.random(1);
            default -> BaseModel.load(Path.of(which));
        };
    }

    private static Variant variantOf(String label, List<Variant> variants) {
        return variants.stream().filter(v -> v.label().equals(label)).findFirst().orElseThrow();
    }

    /** A benchmark trial: kl_weight 0.1, prior_std 0.01, init_std 0.001, 1 MC sample, 1 shot, no prior images. */
    static TrainingConfig config(Variant v, int steps, int batch, double lr, long seed, String subject, int evalEvery,
                                 int checkpointEvery) {
        return new TrainingConfig(0.1, 0.01, 0.001, v.groups(), 1, v.method(), 4, lr, steps, batch, 1, subject, 0.0,
                evalEvery, seed, checkpointEvery);
    }

    /** Times steps after a warm-up, every eval (onStep -> onEval), and samples RSS. */
    private static final class StepClock implements TrainingListener {
        private final int warmupSteps;
        private final int rssEvery;
        private final List<long[]> rss;
        private final List<Double> stepMs = new ArrayList<>();
        final List<Double> evalMs = new ArrayList<>();
        private long startNanos;
        private long startStep;
        private long warmNanos = -1;
        private long warmStep;
        private long lastNanos;
        private long lastStep;
        private long prevStepNanos = -1;
        private long evalStart;
        private boolean evalSincePrev;
        private long anyNanos;
        private long anyStep;

        StepClock(int warmupSteps, int rssEvery, List<long[]> rss) {
            this.warmupSteps = warmupSteps;
            this.rssEvery = rssEvery;
            this.rss = rss;
        }

        @Override
        public void onStart(long fromStep, long totalSteps) {
            startNanos = System.nanoTime();
            startStep = fromStep;
        }

        @Override
        public void onStep(StepReport r) {
            long now = System.nanoTime();
            anyNanos = now;
            anyStep = r.step();
            long k = r.step() - startStep; // steps done in this run
            if (k == warmupSteps) {
                warmNanos = now;
                warmStep = r.step();
            } else if (k > warmupSteps) {
                lastNanos = now;
                lastStep = r.step();
                if (!evalSincePrev) { // a step interval that contains an eval or a checkpoint is not a step time
                    stepMs.add((now - prevStepNanos) / 1e6);
                }
            }
            prevStepNanos = now;
            evalSincePrev = false;
            evalStart = now;
            if (rss != null && rssEvery > 0 && r.step() % rssEvery == 0) {
                rss.add(new long[] {r.step(), statusKb(readStatus(), "VmRSS")});
            }
        }

        @Override
        public void onEval(EvalReport report) {
            evalMs.add((System.nanoTime() - evalStart) / 1e6);
            evalSincePrev = true;
        }

        @Override
        public void onCheckpoint(long step) {
            evalSincePrev = true;
        }

        StepTiming timing(String label, double loadBefore, double loadAfter) {
            if (warmNanos < 0 || lastStep <= warmStep) {
                throw new IllegalStateException("no timed steps after the warm-up of " + warmupSteps);
            }
            return new StepTiming(label, lastStep - warmStep, (lastNanos - warmNanos) / 1e9, median(stepMs),
                    loadBefore, loadAfter);
        }

        double overallStepsPerSecond() {
            return (anyStep - startStep) / ((anyNanos - startNanos) / 1e9);
        }
    }

    // ---- pure helpers (tested in ModelBenchmarkTest) ----

    /**
     * Side length of the feature map that the layer owning parameter {@code name} produces, read off
     * {@code UNet.forward}: {@code in}, {@code d1}, {@code u1}, {@code out} run at full resolution (16x16);
     * {@code down1} (stride 2) produces 8x8, as do {@code d2} and {@code u2}; {@code down2} produces 4x4, as
     * do {@code mid1}, the self-attention ({@code attn}, 16 tokens) and {@code mid2}. Time MLP and class
     * embedding have no resolution (one vector per image). Update this when the UNet's layout changes: an
     * unknown block fails here, before any training, rather than giving a wrong FLOP count.
     */
    static int outputSide(String name) {
        int s = Images.SIZE;
        String block = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        return switch (block) {
            case "in", "d1", "u1", "out" -> s;
            case "down1", "d2", "u2" -> s / 2;
            case "down2", "mid1", "attn", "mid2" -> s / 4;
            default -> throw new IllegalArgumentException("ModelBenchmark.outputSide does not know the UNet block of '"
                    + name + "': update it from UNet.forward");
        };
    }

    /**
     * Forward FLOPs (2 per multiply-add) of one image from the parameter shapes: every 4-d weight is a
     * convolution ({@code 2 k k cin cout H W} at its output resolution), every 2-d weight a linear layer
     * ({@code 2 in out} per token: 16 tokens in the attention, 1 elsewhere), {@code emb.table} the one-hot
     * matmul ({@code 2 rows emb}), plus the attention's two {@code n x n x c} matmuls (scores and
     * weights x values). Biases, norms, activations, softmax and up-sampling are not counted.
     */
    static Flops forwardFlopsPerImage(Map<String, long[]> shapes) {
        long conv = 0;
        long linear = 0;
        long attention = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long[] s = e.getValue();
            if (s.length == 4) {
                long side = outputSide(name);
                conv += 2 * s[0] * s[1] * s[2] * s[3] * side * side;
            } else if (s.length == 2) {
                if (name.equals("emb.table")) {
                    linear += 2 * s[0] * s[1];
                } else {
                    long tokens = name.startsWith("attn.") ? (long) outputSide(name) * outputSide(name) : 1;
                    linear += 2 * s[0] * s[1] * tokens;
                }
            } else if (s.length != 1) {
                throw new IllegalArgumentException("unexpected parameter shape " + Arrays.toString(s) + " of " + name);
            }
        }
        long[] qkv = shapes.get("attn.qkv.w");
        if (qkv != null) {
            long c = qkv[1];
            long n = (long) outputSide("attn") * outputSide("attn");
            attention = 2 * (2 * n * n * c);
        }
        return new Flops(conv, linear, attention);
    }

    static long trainingFlopsPerStep(Flops forwardPerImage, int batch) {
        return TRAIN_FLOPS_FACTOR * forwardPerImage.total() * batch;
    }

    /** Value in kB of {@code key} (e.g. VmRSS, VmHWM) in the text of /proc/self/status, or -1 if absent. */
    static long statusKb(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                long v = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("mB") ? v * 1024 : v;
            }
        }
        return -1;
    }

    /**
     * Relative growth of RSS from the first sample at or after {@code fromStep} to the last sample
     * ({@code series}: {step, kB} in step order); 0 when there are fewer than two such samples.
     */
    static double rssGrowth(List<long[]> series, long fromStep) {
        long[] base = series.stream().filter(s -> s[0] >= fromStep).findFirst().orElse(null);
        long[] last = series.isEmpty() ? null : series.get(series.size() - 1);
        if (base == null || base == last || base[1] <= 0) {
            return 0;
        }
        return (last[1] - base[1]) / (double) base[1];
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Map<String, String> parseArgs(String[] args) {
        return ToolArgs.parse(args).asMap();
    }

    // ---- measuring ----

    /** Best GFLOP/s of {@code trials} timed batches of n x n fp32 matmuls (each batch about 2 GFLOP). */
    static double matmulGflops(NDManager manager, int n, int trials) {
        double flops = 2.0 * n * n * n;
        int reps = (int) Math.max(1, Math.round(2e9 / flops));
        double best = 0;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(n, n));
            NDArray y = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < Math.max(2, reps / 4); i++) {
                x.matMul(y).close();
            }
            for (int t = 0; t < trials; t++) {
                long t0 = System.nanoTime();
                NDArray last = null;
                for (int i = 0; i < reps; i++) {
                    if (last != null) {
                        last.close();
                    }
                    last = x.matMul(y);
                }
                last.get(0, 0).getFloat(); // waits for the result (a no-op on the CPU, a sync on a GPU)
                last.close();
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, flops * reps / s / 1e9);
            }
        }
        return best;
    }

    static String readStatus() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            return "";
        }
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(s -> s.startsWith("model name")).findFirst()
                    .map(s -> s.substring(s.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU (" + System.getProperty("os.arch") + ")";
        }
    }

    /** The JVM options and arguments of this run (the class path shortened). */
    private static String commandLine(String[] args) {
        List<String> parts = new ArrayList<>();
        parts.add("java");
        parts.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        parts.add("-cp <model classes + runtime classpath>");
        parts.add(ModelBenchmark.class.getName());
        parts.addAll(Arrays.asList(args));
        String omp = System.getenv("OMP_WAIT_POLICY");
        return (omp == null ? "" : "OMP_WAIT_POLICY=" + omp + " ") + String.join(" ", parts);
    }

    private static String fmtList(List<Double> xs, String fmt) {
        List<String> out = new ArrayList<>();
        for (double x : xs) {
            out.add(String.format(Locale.ROOT, fmt, x));
        }
        return String.join(", ", out);
    }

    private static void log(String fmt, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
