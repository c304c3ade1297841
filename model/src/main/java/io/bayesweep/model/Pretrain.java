package io.bayesweep.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.PretrainingSet;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.metrics.ImageMetrics;
import io.bayesweep.model.nn.Adam;
import io.bayesweep.model.nn.Diffusion;
import io.bayesweep.model.nn.ModelState;
import io.bayesweep.model.nn.Nd;
import io.bayesweep.model.nn.TensorFile;
import io.bayesweep.model.nn.UNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Pretrains the base model on {@link PretrainingSet} (the emoji of the pretraining classes, both vendors,
 * subjects held out) and writes its EMA weights as a {@link BaseModel} file, a sample grid (one row per
 * class) and a report (train and held-out denoising loss, nearest-neighbour distances of samples to the
 * training images). Resumable: its full state (weights, EMA, Adam moments, step, wall time) is saved under
 * {@code --state} every 500 steps and at the end, so a long schedule spans several working periods; the
 * learning-rate schedule depends only on the step and {@code --steps}, so stopping and resuming changes
 * nothing. {@code scripts/pretrain.sh} runs it with the shipped settings.
 */
public final class Pretrain {
    private Pretrain() {
    }

    public static void main(String[] args) throws Exception {
        ToolArgs a = ToolArgs.parse(args);
        ToolArgs.defaultToOneThread();
        int steps = Integer.parseInt(a.getOrDefault("steps", "4000"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "1e-3"));
        double maxMinutes = Double.parseDouble(a.getOrDefault("max-minutes", "1e9"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        double emaDecay = Double.parseDouble(a.getOrDefault("ema", "0.999"));
        Path out = Path.of(a.getOrDefault("out", "base-model.bsw"));
        Path grid = a.containsKey("grid") ? Path.of(a.get("grid")) : null;
        Path stateDir = Path.of(a.getOrDefault("state", "pretrain-state"));
        a.rejectUnknown();
        int warmup = 200;

        PretrainingSet set = PretrainingSet.get();
        List<PretrainingSet.Sample> data = set.samples();
        UNet net = new UNet(set.embeddingRows());
        Diffusion diffusion = new Diffusion();
        System.out.printf("data %d images in %d classes (%d subjects held out), model %d parameters%n",
                data.size(), set.classes().size(), set.heldOut().size(), net.parameterCount());

        NDManager manager = Engine.getInstance().newBaseManager(ComputeDevice.select());
        System.out.println("device " + ComputeDevice.describe());
        ModelState state = new ModelState(net, manager, net.init(seed), Set.of(), 0.0, 0, 0);
        Map<String, NDArray> params = state.trainable();
        Adam adam = new Adam(manager, params, 0.9, 0.999, 1e-8);
        Map<String, NDArray> ema = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : state.values().entrySet()) {
            NDArray copy = e.getValue().duplicate();
            ema.put(e.getKey(), copy);
        }
        long start = 0;
        double wallBefore = 0;
        Path statePath = stateDir.resolve("pretrain-state.bsw");
        if (Files.exists(statePath)) {
            TensorFile.Contents c = TensorFile.read(statePath);
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                Nd.assign(e.getValue(), c.tensors().get("p/" + e.getKey()).data());
                Nd.assign(adam.firstMoments().get(e.getKey()), c.tensors().get("m/" + e.getKey()).data());
                Nd.assign(adam.secondMoments().get(e.getKey()), c.tensors().get("v/" + e.getKey()).data());
            }
            for (Map.Entry<String, NDArray> e : ema.entrySet()) {
                Nd.assign(e.getValue(), c.tensors().get("ema/" + e.getKey()).data());
            }
            start = Long.parseLong(c.meta().get("step"));
            wallBefore = Double.parseDouble(c.meta().get("wall_s"));
            adam.setStepCount(start);
            System.out.printf("resumed at step %d (%.0f s before)%n", start, wallBefore);
        }

        long t0 = System.nanoTime();
        double lossAcc = 0;
        int lossN = 0;
        double lastLoss = Double.NaN;
        long step = start;
        int len = Images.LENGTH;
        while (step < steps && (System.nanoTime() - t0) / 60e9 < maxMinutes) {
            step++;
            Random rnd = new Random(seed * 31 + step);
            float[] x0 = new float[batch * len];
            int[] labels = new int[batch];
            int[] t = new int[batch];
            for (int i = 0; i < batch; i++) {
                PretrainingSet.Sample s = data.get(rnd.nextInt(data.size()));
                float[] img = rnd.nextBoolean() ? Images.flip(s.image()) : s.image();
                System.arraycopy(img, 0, x0, i * len, len);
                labels[i] = s.classRow();
                t[i] = rnd.nextInt(Diffusion.T);
            }
            float[] eps = Diffusion.gaussian(rnd, batch * len);
            float[] xt = diffusion.noisy(x0, eps, t);
            double loss;
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Shape shape = new Shape(batch, 3, Images.SIZE, Images.SIZE);
                NDArray x = Nd.create(manager, xt, shape);
                NDArray target = Nd.create(manager, eps, shape);
                NDArray pred = net.forward(state.mean(), x, t, labels);
                NDArray l = pred.sub(target).square().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss diverged at step " + step);
            }
            double progress = (double) step / steps;
            double lrNow = lr * Math.min(1.0, step / (double) warmup)
                    * (0.1 + 0.9 * 0.5 * (1 + StrictMath.cos(Math.PI * progress)));
            adam.step(params, lrNow, 1.0);
            double d = Math.min(emaDecay, (1.0 + step) / (10.0 + step));
            try (NDScope scope = new NDScope()) {
                for (Map.Entry<String, NDArray> e : ema.entrySet()) {
                    e.getValue().muli((float) d).addi(state.values().get(e.getKey()).mul((float) (1 - d)));
                }
            }
            lossAcc += loss;
            lossN++;
            if (step % 100 == 0) {
                double el = (System.nanoTime() - t0) / 1e9;
                lastLoss = lossAcc / lossN;
                System.out.printf("step %d loss %.4f lr %.2e  %.1f steps/s  %.0f s%n", step, lastLoss, lrNow,
                        (step - start) / el, el + wallBefore);
                lossAcc = 0;
                lossN = 0;
            }
            if (step % 2000 == 0) {
                System.out.printf("step %d denoising loss (EMA weights): train %.4f, held-out %.4f%n", step,
                        denoisingLoss(net, diffusion, manager, ema, trainProbe(data)),
                        denoisingLoss(net, diffusion, manager, ema, heldOutProbe(set)));
            }
            if (step % 500 == 0) {
                saveState(statePath, params, adam, ema, step, wallBefore + (System.nanoTime() - t0) / 1e9);
            }
        }
        double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
        if (lossN > 0) {
            lastLoss = lossAcc / lossN;
        }
        saveState(statePath, params, adam, ema, step, wall);
        Map<String, TensorFile.Tensor> weights = new LinkedHashMap<>();
        ema.forEach((k, v) -> weights.put(k, new TensorFile.Tensor(v.getShape().getShape(), v.toFloatArray())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", "pretrained-ema");
        meta.put("steps", Long.toString(step));
        meta.put("batch", Integer.toString(batch));
        meta.put("lr", Double.toString(lr));
        meta.put("ema", Double.toString(emaDecay));
        meta.put("final_loss", String.format("%.5f", lastLoss));
        meta.put("wall_s", String.format("%.1f", wall));
        meta.put("data", "emoji " + data.size() + " images (Noto + Twemoji 16x16), " + set.classes().size()
                + " classes, " + set.heldOut().size() + " subjects held out");
        meta.put("classes", String.join("|", set.classes()));
        double trainLoss = denoisingLoss(net, diffusion, manager, ema, trainProbe(data));
        double heldLoss = denoisingLoss(net, diffusion, manager, ema, heldOutProbe(set));
        meta.put("train_denoising_loss", String.format("%.5f", trainLoss));
        meta.put("held_out_denoising_loss", String.format("%.5f", heldLoss));
        meta.put("written", Instant.now().toString());
        TensorFile.write(out, meta, weights);
        System.out.printf("wrote %s: %d steps, %.1f s, final loss %.4f, %d bytes%n", out, step, wall, lastLoss,
                Files.size(out));
        System.out.printf("denoising loss (EMA weights, fixed noise and timesteps): train %.4f, held-out subjects %.4f%n",
                trainLoss, heldLoss);
        List<List<float[]>> rows = classSamples(set, net, diffusion, manager, ema, 20);
        nearestNeighbourReport(rows, data);
        if (grid != null) {
            Files.createDirectories(grid.toAbsolutePath().getParent());
            Files.write(grid, Images.gridPng(rows, 4));
            System.out.println("wrote " + grid);
        }
        manager.close();
    }

    /** Eight fixed-noise DDIM samples per class, one row per class. */
    static List<List<float[]>> classSamples(PretrainingSet set, UNet net, Diffusion diffusion, NDManager manager,
                                            Map<String, NDArray> weights, int ddimSteps) {
        List<List<float[]>> rows = new ArrayList<>();
        for (int c = 0; c < set.classes().size(); c++) {
            List<float[]> noises = new ArrayList<>();
            int[] labels = new int[8];
            for (int i = 0; i < 8; i++) {
                noises.add(Diffusion.sampleNoise(1000 + i));
                labels[i] = c;
            }
            rows.add(diffusion.ddim(net, io.bayesweep.model.nn.WeightSource.of(weights), manager, noises, labels,
                    ddimSteps, true));
        }
        return rows;
    }

    /**
     * Are the samples copies? Prints, for the class samples, the pixel RMSE to the nearest training image,
     * next to the same distance from each training image to its nearest other training image (a copy would
     * be near 0; a new drawing of the class is as far as two different training emoji are).
     */
    static void nearestNeighbourReport(List<List<float[]>> rows, List<PretrainingSet.Sample> data) {
        List<float[]> train = new ArrayList<>();
        for (PretrainingSet.Sample s : data) {
            train.add(s.image());
        }
        double[] sampleNn = rows.stream().flatMap(List::stream)
                .mapToDouble(x -> nearest(x, train, null)).sorted().toArray();
        double[] trainNn = train.stream().mapToDouble(x -> nearest(x, train, x)).sorted().toArray();
        System.out.printf("nearest training image, pixel RMSE: samples median %.4f (min %.4f, 10%% %.4f); "
                        + "training images to another training image median %.4f (min %.4f, 10%% %.4f)%n",
                sampleNn[sampleNn.length / 2], sampleNn[0], sampleNn[sampleNn.length / 10],
                trainNn[trainNn.length / 2], trainNn[0], trainNn[trainNn.length / 10]);
    }

    private static double nearest(float[] x, List<float[]> train, float[] self) {
        double best = Double.MAX_VALUE;
        for (float[] t : train) {
            if (t != self) {
                best = Math.min(best, ImageMetrics.rmse(x, t));
            }
        }
        return best;
    }

    /** A fixed probe of 64 training images (labels, images). */
    private static List<PretrainingSet.Sample> trainProbe(List<PretrainingSet.Sample> data) {
        List<PretrainingSet.Sample> probe = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            probe.add(data.get((int) ((long) i * data.size() / 64)));
        }
        return probe;
    }

    /** Both vendors' images of every held-out subject, labelled with the subject's class. */
    private static List<PretrainingSet.Sample> heldOutProbe(PretrainingSet set) {
        List<PretrainingSet.Sample> probe = new ArrayList<>();
        for (String name : set.heldOut()) {
            List<float[]> refs = Subjects.references(name);
            for (float[] r : refs) {
                probe.add(new PretrainingSet.Sample(set.data().concept(name), null, Subjects.classRow(name), r));
            }
        }
        return probe;
    }

    /**
     * Mean epsilon-prediction MSE of {@code weights} on {@code probe}, each image at 8 fixed timesteps with
     * fixed noise: comparable between runs and between train and held-out images.
     */
    static double denoisingLoss(UNet net, Diffusion diffusion, NDManager manager, Map<String, NDArray> weights,
                                List<PretrainingSet.Sample> probe) {
        int len = Images.LENGTH;
        int[] times = {50, 150, 250, 350, 450, 600, 750, 900};
        double sum = 0;
        Random rnd = new Random(4242);
        for (int t : times) {
            int b = probe.size();
            float[] x0 = new float[b * len];
            int[] labels = new int[b];
            int[] ts = new int[b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(probe.get(i).image(), 0, x0, i * len, len);
                labels[i] = probe.get(i).classRow();
                ts[i] = t;
            }
            float[] eps = Diffusion.gaussian(rnd, b * len);
            float[] xt = diffusion.noisy(x0, eps, ts);
            try (NDScope scope = new NDScope()) {
                Shape shape = new Shape(b, 3, Images.SIZE, Images.SIZE);
                NDArray pred = net.forward(io.bayesweep.model.nn.WeightSource.of(weights),
                        Nd.create(manager, xt, shape), ts, labels);
                sum += pred.sub(Nd.create(manager, eps, shape)).square().mean().getFloat();
            }
        }
        return sum / times.length;
    }

    private static void saveState(Path path, Map<String, NDArray> params, Adam adam, Map<String, NDArray> ema,
                                  long step, double wall) throws Exception {
        Map<String, TensorFile.Tensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            t.put("p/" + e.getKey(), tensor(e.getValue()));
            t.put("m/" + e.getKey(), tensor(adam.firstMoments().get(e.getKey())));
            t.put("v/" + e.getKey(), tensor(adam.secondMoments().get(e.getKey())));
        }
        ema.forEach((k, v) -> t.put("ema/" + k, tensor(v)));
        TensorFile.write(path, Map.of("step", Long.toString(step), "wall_s", Double.toString(wall)), t);
    }

    private static TensorFile.Tensor tensor(NDArray a) {
        return new TensorFile.Tensor(a.getShape().getShape(), a.toFloatArray());
    }
}
