package io.bayesweep.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.metrics.OneShotGaussian;
import io.bayesweep.model.metrics.SampleMetrics;
import io.bayesweep.model.nn.Adam;
import io.bayesweep.model.nn.Diffusion;
import io.bayesweep.model.nn.ModelState;
import io.bayesweep.model.nn.Nd;
import io.bayesweep.model.nn.TensorFile;
import io.bayesweep.model.nn.UNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one few-shot fine-tuning trial with the BNN objective: the single entry point the worker uses.
 * Knows nothing of Kafka or HTTP.
 *
 * <p>See docs/model.md for the objective, the metrics and the checkpoint format.
 */
public final class FineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /** Number of eval samples and their fixed noise seeds (the same for every trial). */
    public static final int EVAL_SAMPLES = 8;
    public static final long EVAL_SEED = 424_242L;
    /** DDIM steps used for eval samples and prior-preservation images. */
    public static final int DDIM_STEPS = 20;
    /**
     * Clamp the DDIM x0 estimate to [-1, 1] at every sampling step. On: the 3,200-step base model gives
     * clean class samples this way, while unclipped 20-step DDIM leaves speckle in some seeds' samples
     * even before fine-tuning (docs/model-pretrain-samples-noclip.png), which would mask the corruption
     * stage's noise signal.
     */
    public static final boolean CLIP_X0 = true;
    /** Default linear learning-rate warm-up length in steps ({@code warmup_steps}). */
    public static final int WARMUP_STEPS = 20;
    /** Class images sampled once from the pretrained model when prior_preservation > 0. */
    public static final int PRIOR_IMAGES = 8;
    /** Noise of the sigma1 estimate: fixed, so that its changes over steps are the model's. */
    static final long SIGMA1_SEED = 515_151L;
    private static final Pattern CKPT = Pattern.compile("ckpt-(\\d{8})\\.bsw");
    private static final int KEEP_CHECKPOINTS = 2;
    private static final Object STEP_LOCK = new Object();

    private final BaseModel base;

    /** Uses the base model shipped with the module. */
    public FineTuner() {
        this(BaseModel.bundled());
    }

    public FineTuner(BaseModel base) {
        this.base = base;
    }

    public static FineTuner withBundledBaseModel() {
        return new FineTuner(BaseModel.bundled());
    }

    public BaseModel baseModel() {
        return base;
    }

    /**
     * Runs the trial, resuming from the newest checkpoint in {@code checkpointDir} if there is one.
     * With the same config, a resumed run reports the same subsequent losses and metrics as an
     * uninterrupted one.
     *
     * @param checkpointDir where this trial's checkpoints live (created if missing)
     * @param cancelled     polled between steps; when true the run stops and returns with cancelled = true
     * @throws TrainingException for errors of configuration or data, which a retry would not fix
     */
    public TrainingResult run(TrainingConfig config, Path checkpointDir, TrainingListener listener,
                              BooleanSupplier cancelled) throws TrainingException {
        validate(config);
        // libtorch's grad mode is thread-local and on in a new thread; DJL turns it off only on the thread
        // that started the engine. Workers train on their own threads, where the optimizer's in-place
        // updates of parameters would then fail ("a leaf Variable that requires grad ...").
        Engine.getInstance(); // loads libtorch before the native call below
        JniUtils.setGradMode(false);
        try (Trial trial = new Trial(config, checkpointDir)) {
            return trial.run(listener, cancelled);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("checkpoint I/O failed in " + checkpointDir, e);
        }
    }

    static void validate(TrainingConfig c) throws TrainingException {
        if (Subjects.indexOf(c.subject()) < 0) {
            throw new TrainingException("unknown subject '" + c.subject() + "', allowed: " + Subjects.names());
        }
        if (!c.method().equals("full") && !c.method().equals("lora")) {
            throw new TrainingException("method must be full or lora, got '" + c.method() + "'");
        }
        if (c.shots() < 1 || c.shots() > Subjects.MAX_SHOTS) {
            throw new TrainingException("shots must be 1.." + Subjects.MAX_SHOTS + " (one image per vendor), got "
                    + c.shots());
        }
        for (String g : c.bayesianLayers()) {
            if (!UNet.GROUP_NAMES.contains(g)) {
                throw new TrainingException("unknown bayesian layer group '" + g + "', allowed: " + UNet.GROUP_NAMES);
            }
            if (g.equals("lora_b") && !c.method().equals("lora")) {
                throw new TrainingException("bayesian layer group lora_b needs method lora");
            }
            if (c.method().equals("lora") && !g.equals("lora_b") && !g.equals("emb")) {
                throw new TrainingException("with method lora the base weights are frozen: bayesian layer group '"
                        + g + "' cannot be trained; allowed with lora: [lora_b, emb]");
            }
        }
        if (c.method().equals("lora") && c.loraRank() < 1) {
            throw new TrainingException("lora_rank must be >= 1 with method lora, got " + c.loraRank());
        }
        if (!c.bayesianLayers().isEmpty() && (!(c.initStd() > 0) || !(c.priorStd() > 0))) {
            throw new TrainingException("init_std and prior_std must be > 0 for a Bayesian trial");
        }
        if (!(c.lr() > 0) || c.klWeight() < 0 || c.priorPreservation() < 0 || c.checkpointEvery() < 0) {
            throw new TrainingException("lr must be > 0; kl_weight, prior_preservation, checkpoint_every >= 0");
        }
    }

    /** Identity of the trial's training trajectory: a checkpoint only resumes a run with the same one. */
    static String fingerprint(TrainingConfig c) {
        return String.join("|", Double.toString(c.klWeight()), Double.toString(c.priorStd()),
                Double.toString(c.initStd()), String.join(",", c.bayesianLayers()), Integer.toString(c.mcSamples()),
                c.method(), Integer.toString(c.loraRank()), Double.toString(c.lr()), Integer.toString(c.batchSize()),
                Integer.toString(c.shots()), c.subject(), Double.toString(c.priorPreservation()),
                Long.toString(c.seed()));
    }

    /** What one training step measured: diffusion MSE (mean over MC samples), KL / N, sigma per group. */
    private record StepOutcome(double mse, double kl, Map<String, SigmaStats> sigma) {
    }

    /** One running trial and its state. */
    private final class Trial implements AutoCloseable {
        private final TrainingConfig cfg;
        private final Path dir;
        private final UNet net = base.unet();
        private final Diffusion diffusion = new Diffusion();
        private final NDManager manager;
        private final ModelState state;
        private final Adam adam;
        private final int subjectRow;
        private final int classRow;
        private final List<float[]> refs;
        private final List<float[]> trainRefs;
        private List<float[]> priorImages = List.of();
        private long step;
        private double lossSum;
        private int lossCount;
        private double lastKl;
        private Map<String, Double> lastMetrics = Map.of();

        Trial(TrainingConfig cfg, Path dir) {
            this.cfg = cfg;
            this.dir = dir;
            this.manager = Engine.getInstance().newBaseManager(ComputeDevice.select());
            this.classRow = Subjects.classRow(cfg.subject());
            this.subjectRow = Subjects.subjectRow(cfg.subject());
            this.refs = Subjects.references(cfg.subject());
            this.trainRefs = refs.subList(0, cfg.shots());
            Set<String> groups = new LinkedHashSet<>(cfg.bayesianLayers());
            int rank = cfg.method().equals("lora") ? cfg.loraRank() : 0;
            // the subject token starts as a copy of its class row; the prior centre mu0 is that start point
            Map<String, TensorFile.Tensor> w = new LinkedHashMap<>(base.weights());
            TensorFile.Tensor table = w.get("emb.table");
            float[] t = table.data().clone();
            System.arraycopy(t, classRow * UNet.EMB, t, subjectRow * UNet.EMB, UNet.EMB);
            w.put("emb.table", new TensorFile.Tensor(table.shape(), t));
            this.state = new ModelState(net, manager, w, groups, cfg.initStd(), rank, cfg.seed() * 7919 + 17);
            this.adam = new Adam(manager, state.trainable(), 0.9, 0.999, 1e-8);
        }

        TrainingResult run(TrainingListener listener, BooleanSupplier cancelled) throws TrainingException, IOException {
            Files.createDirectories(dir);
            boolean resumed = resume();
            if (!resumed && cfg.priorPreservation() > 0) {
                priorImages = samplePriorImages();
            }
            listener.onStart(step, cfg.steps());
            while (step < cfg.steps()) {
                if (cancelled.getAsBoolean()) {
                    return new TrainingResult(step, true, lastMetrics);
                }
                long k = step + 1;
                StepOutcome lossKl = trainStep(k);
                step = k;
                lossSum += lossKl.mse();
                lossCount++;
                lastKl = lossKl.kl();
                listener.onStep(new StepReport(k, cfg.steps(), lossKl.mse(), lossKl.kl(), lossKl.sigma()));
                if (cfg.evaluatesAt(k)) {
                    EvalReport report = evaluate(k);
                    lastMetrics = report.metrics();
                    lossSum = 0;
                    lossCount = 0;
                    listener.onEval(report);
                }
                if (cfg.checkpointEvery() > 0 && k % cfg.checkpointEvery() == 0) {
                    saveCheckpoint(k);
                    listener.onCheckpoint(k);
                }
            }
            return new TrainingResult(step, false, lastMetrics);
        }

        private Map<String, SigmaStats> sigmaReport() {
            return state.isBayesian() ? stats(state.sigmaStats()) : Map.of();
        }

        private static Map<String, SigmaStats> stats(Map<String, double[]> raw) {
            Map<String, SigmaStats> s = new LinkedHashMap<>();
            raw.forEach((group, a) -> {
                if (!group.equals("all")) {
                    s.put(group, new SigmaStats(a[0], a[1], a[2]));
                }
            });
            return s;
        }

        /** One optimisation step. */
        private StepOutcome trainStep(long k) throws TrainingException {
            Random rnd = new Random(cfg.seed() * 31 + k);
            int b = cfg.batchSize();
            int p = cfg.priorPreservation() > 0 ? Math.max(1, b / 2) : 0;
            int n = b + p;
            int len = Images.LENGTH;
            float[] x0 = new float[n * len];
            int[] labels = new int[n];
            int[] t = new int[n];
            for (int i = 0; i < n; i++) {
                float[] img;
                if (i < b) {
                    img = trainRefs.get(rnd.nextInt(trainRefs.size()));
                    labels[i] = subjectRow;
                } else {
                    img = priorImages.get(rnd.nextInt(priorImages.size()));
                    labels[i] = classRow;
                }
                if (rnd.nextBoolean()) { // small shift augmentation
                    img = Images.shift(img, rnd.nextInt(3) - 1, rnd.nextInt(3) - 1);
                }
                System.arraycopy(img, 0, x0, i * len, len);
                t[i] = rnd.nextInt(Diffusion.T);
            }
            float[] eps = Diffusion.gaussian(rnd, n * len);
            float[] xt = diffusion.noisy(x0, eps, t);
            StepOutcome out;
            // one GradientCollector per JVM and a global libtorch generator: trials in one JVM take turns
            synchronized (STEP_LOCK) {
                // the Bayesian weight noise of step k comes from the engine's generator, re-seeded per step
                Engine.getInstance().setRandomSeed((int) ((cfg.seed() * 1_000_003L + k * 7_919L) & 0x7fffffff));
                out = forwardBackward(xt, eps, t, labels, b, p);
            }
            double mse = out.mse();
            double kl = out.kl();
            if (!Double.isFinite(mse) || !Double.isFinite(kl)) {
                throw new TrainingException("loss diverged at step " + k + " (mse " + mse + ", kl " + kl
                        + "); lower lr or init_std");
            }
            double lrNow = cfg.lrAt(k);
            adam.step(state.trainable(), lrNow, 0);
            return out;
        }

        /**
         * Loss over mc_samples weight samples plus the KL term, and its backward pass. sigma = softplus(rho)
         * is computed once and shared by the samples, the KL and the statistics (it is most of a BNN step's
         * extra cost).
         */
        private StepOutcome forwardBackward(float[] xt, float[] eps, int[] t, int[] labels, int b, int p) {
            int n = t.length;
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Shape shape = new Shape(n, Images.CHANNELS, Images.SIZE, Images.SIZE);
                NDArray x = Nd.create(manager, xt, shape);
                NDArray target = Nd.create(manager, eps, shape);
                // per-image weights: mean over the subject images + prior_preservation * mean over the class
                // images, divided by the number of weight samples (no Java-number scalars in the graph)
                float[] w = new float[n];
                for (int i = 0; i < n; i++) {
                    w[i] = (float) ((i < b ? 1.0 / b : cfg.priorPreservation() / p) / cfg.mcSamples());
                }
                NDArray weights = Nd.create(manager, w, new Shape(n));
                NDArray loss = null;
                Map<String, NDArray> sigmas = state.sigmas();
                for (int s = 0; s < cfg.mcSamples(); s++) {
                    NDArray pred = net.forward(state.sampled(manager, sigmas), x, t, labels);
                    NDArray l = pred.sub(target).square().reshape(n, -1).mean(new int[] {1}).mul(weights).sum();
                    loss = loss == null ? l : loss.add(l);
                }
                double mse = loss.getFloat();
                double kl = 0;
                if (state.isBayesian()) {
                    NDArray klTerm = state.klSum(cfg.priorStd(), sigmas)
                            .div(Nd.scalar(manager, state.bayesianCount()));
                    kl = klTerm.getFloat();
                    if (cfg.klWeight() > 0) {
                        loss = loss.add(klTerm.mul(Nd.scalar(manager, cfg.klWeight())));
                    }
                }
                gc.backward(loss);
                return new StepOutcome(mse, kl, stats(state.sigmaStats(sigmas)));
            }
        }

        private List<float[]> sample(int row, long seed0) {
            return sample(row, seed0, EvalSampling.DEFAULT);
        }

        private List<float[]> sample(int row, long seed0, EvalSampling how) {
            List<float[]> noises = new ArrayList<>();
            int[] labels = new int[EVAL_SAMPLES];
            for (int i = 0; i < EVAL_SAMPLES; i++) {
                noises.add(Diffusion.sampleNoise(seed0 + i));
                labels[i] = row;
            }
            return switch (how.sampler()) {
                case "ddim" -> diffusion.ddim(net, state.mean(), manager, noises, labels, how.steps(), CLIP_X0);
                case "ddim-noclip" -> diffusion.ddim(net, state.mean(), manager, noises, labels, how.steps(), false);
                // the same fresh noise at every eval, so that changes between evals are the model's
                case "ancestral" -> diffusion.ancestral(net, state.mean(), manager, noises, labels, how.steps(), seed0);
                default -> throw new IllegalStateException("sampler " + how.sampler());
            };
        }

        /**
         * The spread of the learned distribution around the training image(s) under the one-shot Gaussian
         * model ({@link OneShotGaussian}): the gain of the mean-weight x0 predictions, from fixed noise at
         * t = 100, 200, 300 (abar 0.90 .. 0.46), pooled per (image, t), turned into sigma1; the mean of
         * sigma1^2 over them, square-rooted.
         */
        private double sigma1() {
            int[] times = {100, 200, 300};
            int draws = 4;
            int len = Images.LENGTH;
            int n = trainRefs.size() * times.length * draws;
            float[] x0 = new float[n * len];
            float[] eps = new float[n * len];
            int[] t = new int[n];
            int[] labels = new int[n];
            java.util.Random rnd = new java.util.Random(SIGMA1_SEED);
            for (int i = 0; i < n; i++) {
                System.arraycopy(trainRefs.get(i / (times.length * draws)), 0, x0, i * len, len);
                System.arraycopy(Diffusion.gaussian(rnd, len), 0, eps, i * len, len);
                t[i] = times[(i / draws) % times.length];
                labels[i] = subjectRow;
            }
            float[] xt = diffusion.noisy(x0, eps, t);
            float[] epsHat;
            try (NDScope scope = new NDScope()) {
                Shape shape = new Shape(n, Images.CHANNELS, Images.SIZE, Images.SIZE);
                epsHat = net.forward(state.mean(), Nd.create(manager, xt, shape), t, labels).toFloatArray();
            }
            double sumSq = 0;
            int groups = 0;
            for (int g = 0; g < n / draws; g++) {
                double ab = diffusion.alphaBar(t[g * draws]);
                int from = g * draws * len;
                int to = from + draws * len;
                float[] x0Hat = new float[to - from];
                for (int j = from; j < to; j++) {
                    x0Hat[j - from] = (float) ((xt[j] - Math.sqrt(1 - ab) * epsHat[j]) / Math.sqrt(ab));
                }
                double k = OneShotGaussian.gain(x0Hat, java.util.Arrays.copyOfRange(x0, from, to),
                        java.util.Arrays.copyOfRange(xt, from, to), ab);
                double s = OneShotGaussian.sigmaFromGain(k, ab);
                sumSq += s * s;
                groups++;
            }
            return Math.sqrt(sumSq / groups);
        }

        private List<float[]> samplePriorImages() {
            List<float[]> out = new ArrayList<>();
            for (int i = 0; out.size() < PRIOR_IMAGES; i++) {
                out.addAll(sample(classRow, 9_000_000L + 100L * i));
            }
            return List.copyOf(out.subList(0, PRIOR_IMAGES));
        }

        private EvalReport evaluate(long k) {
            List<float[]> samples = sample(subjectRow, EVAL_SEED, cfg.eval().sampling());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", lossCount == 0 ? Double.NaN : lossSum / lossCount);
            m.put("kl", lastKl);
            m.putAll(SampleMetrics.compute(samples, refs, trainRefs));
            m.put("sigma1", sigma1());
            m.put("sigma_mean", state.isBayesian() ? state.sigmaMeans().get("all") : 0.0);
            // per group too: which groups' posteriors widen or collapse is what a BNN sweep compares
            sigmaReport().forEach((group, st) -> m.put("sigma_mean_" + group, st.mean()));
            byte[] png = Images.gridPng(List.of(samples.subList(0, EVAL_SAMPLES / 2),
                    samples.subList(EVAL_SAMPLES / 2, EVAL_SAMPLES)), 4);
            return new EvalReport(k, cfg.steps(), Map.copyOf(m), List.copyOf(samples), png);
        }

        // ---- checkpoints ----

        private void saveCheckpoint(long k) throws IOException {
            Map<String, TensorFile.Tensor> t = new LinkedHashMap<>(state.export());
            for (Map.Entry<String, NDArray> e : adam.firstMoments().entrySet()) {
                t.put("adam.m/" + e.getKey(), tensor(e.getValue()));
                t.put("adam.v/" + e.getKey(), tensor(adam.secondMoments().get(e.getKey())));
            }
            for (int i = 0; i < priorImages.size(); i++) {
                t.put("prior/" + i, new TensorFile.Tensor(new long[] {Images.LENGTH}, priorImages.get(i)));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("step", Long.toString(k));
            meta.put("fingerprint", fingerprint(cfg));
            meta.put("adam_t", Long.toString(adam.stepCount()));
            meta.put("loss_sum", Double.toString(lossSum));
            meta.put("loss_count", Integer.toString(lossCount));
            meta.put("last_kl", Double.toString(lastKl));
            meta.put("prior_images", Integer.toString(priorImages.size()));
            new java.util.TreeMap<>(lastMetrics).forEach((name, v) -> meta.put("metric." + name, Double.toString(v)));
            TensorFile.write(dir.resolve(String.format("ckpt-%08d.bsw", k)), meta, t);
            List<Path> all = checkpoints();
            for (int i = KEEP_CHECKPOINTS; i < all.size(); i++) {
                Files.deleteIfExists(all.get(i));
            }
        }

        /** Checkpoint files, newest first. Leftover temp files of an interrupted write are removed. */
        private List<Path> checkpoints() throws IOException {
            List<Path> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (CKPT.matcher(name).matches()) {
                        out.add(f);
                    } else if (name.startsWith("ckpt-") && name.endsWith(".tmp")) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            out.sort(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed());
            return out;
        }

        /**
         * Loads the newest valid checkpoint. A corrupt newest one is skipped (logged) in favour of the
         * previous one; if checkpoints exist but none is valid, the trial fails with a TrainingException.
         */
        private boolean resume() throws TrainingException, IOException {
            List<Path> files = checkpoints();
            if (files.isEmpty()) {
                return false;
            }
            List<String> problems = new ArrayList<>();
            for (Path f : files) {
                TensorFile.Contents c;
                try {
                    c = TensorFile.read(f);
                } catch (TensorFile.CorruptFileException e) {
                    LOG.warn("skipping corrupt checkpoint: {}", e.getMessage());
                    problems.add(e.getMessage());
                    continue;
                }
                String fp = c.meta().get("fingerprint");
                if (!fingerprint(cfg).equals(fp)) {
                    throw new TrainingException("checkpoint " + f + " belongs to a different trial configuration ("
                            + fp + " vs " + fingerprint(cfg) + "); use an empty checkpoint directory");
                }
                restore(c);
                LOG.info("resumed from {} at step {}", f, step);
                return true;
            }
            throw new TrainingException("no valid checkpoint in " + dir + ": " + String.join("; ", problems));
        }

        private void restore(TensorFile.Contents c) throws TrainingException {
            try {
                state.restore(c.tensors());
                for (Map.Entry<String, NDArray> e : adam.firstMoments().entrySet()) {
                    Nd.assign(e.getValue(), need(c, "adam.m/" + e.getKey()).data());
                    Nd.assign(adam.secondMoments().get(e.getKey()), need(c, "adam.v/" + e.getKey()).data());
                }
                adam.setStepCount(Long.parseLong(c.meta().get("adam_t")));
                step = Long.parseLong(c.meta().get("step"));
                lossSum = Double.parseDouble(c.meta().get("loss_sum"));
                lossCount = Integer.parseInt(c.meta().get("loss_count"));
                lastKl = Double.parseDouble(c.meta().get("last_kl"));
                int np = Integer.parseInt(c.meta().get("prior_images"));
                List<float[]> prior = new ArrayList<>();
                for (int i = 0; i < np; i++) {
                    prior.add(need(c, "prior/" + i).data());
                }
                priorImages = List.copyOf(prior);
                Map<String, Double> metrics = new LinkedHashMap<>();
                c.meta().forEach((key, v) -> {
                    if (key.startsWith("metric.")) {
                        metrics.put(key.substring(7), Double.parseDouble(v));
                    }
                });
                lastMetrics = Map.copyOf(metrics);
            } catch (RuntimeException e) {
                throw new TrainingException("checkpoint does not fit this model: " + e.getMessage(), e);
            }
        }

        private TensorFile.Tensor need(TensorFile.Contents c, String key) {
            TensorFile.Tensor t = c.tensors().get(key);
            if (t == null) {
                throw new IllegalArgumentException("checkpoint lacks " + key);
            }
            return t;
        }

        @Override
        public void close() {
            state.close();
        }
    }

    private static TensorFile.Tensor tensor(NDArray a) {
        return new TensorFile.Tensor(a.getShape().getShape(), a.toFloatArray());
    }

    /** Step of a checkpoint file name, or -1. */
    static long checkpointStep(Path f) {
        Matcher m = CKPT.matcher(f.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
