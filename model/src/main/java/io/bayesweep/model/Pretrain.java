package io.bayesweep.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.bayesweep.model.emoji.EmojiClass;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.ProceduralEmoji;
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
 * Pretrains the base model on the procedural emoji set (subjects held out) and writes its EMA weights as
 * a {@link BaseModel} file, plus a sample grid (one row per class). Resumable: its full state (weights,
 * EMA, Adam moments, step) is saved under {@code --state} every 500 steps and at the end.
 *
 * <pre>
 * java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_threads=1 -Xmx1g \
 *   -cp model/target/classes:$(cat model/target/classpath.txt) io.bayesweep.model.Pretrain \
 *   --steps 4000 --batch 32 --lr 1e-3 --max-minutes 9 \
 *   --out model/src/main/resources/io/bayesweep/model/base-model.bsw --grid docs/model-pretrain-samples.png \
 *   --state /tmp/bayesweep-pretrain
 * </pre>
 */
public final class Pretrain {
    private Pretrain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        int steps = Integer.parseInt(a.getOrDefault("steps", "4000"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "1e-3"));
        double maxMinutes = Double.parseDouble(a.getOrDefault("max-minutes", "1e9"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int perClass = Integer.parseInt(a.getOrDefault("per-class", "600"));
        double emaDecay = Double.parseDouble(a.getOrDefault("ema", "0.999"));
        Path out = Path.of(a.getOrDefault("out", "base-model.bsw"));
        Path grid = a.containsKey("grid") ? Path.of(a.get("grid")) : null;
        Path stateDir = Path.of(a.getOrDefault("state", "pretrain-state"));
        int warmup = 200;

        List<ProceduralEmoji.Sample> data = ProceduralEmoji.generate(perClass, seed);
        UNet net = new UNet();
        Diffusion diffusion = new Diffusion();
        System.out.printf("data %d images, model %d parameters%n", data.size(), net.parameterCount());

        NDManager manager = Engine.getInstance().newBaseManager();
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
                ProceduralEmoji.Sample s = data.get(rnd.nextInt(data.size()));
                float[] img = rnd.nextBoolean() ? Images.flip(s.image()) : s.image();
                System.arraycopy(img, 0, x0, i * len, len);
                labels[i] = s.cls().ordinal();
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
        meta.put("data", "procedural " + perClass + " per class, seed " + seed);
        meta.put("written", Instant.now().toString());
        TensorFile.write(out, meta, weights);
        System.out.printf("wrote %s: %d steps, %.1f s, final loss %.4f, %d bytes%n", out, step, wall, lastLoss,
                Files.size(out));
        if (grid != null) {
            writeGrid(grid, net, diffusion, manager, ema, 20);
            System.out.println("wrote " + grid);
        }
        manager.close();
    }

    /** Eight fixed-noise DDIM samples per class, one row per class. */
    static void writeGrid(Path grid, UNet net, Diffusion diffusion, NDManager manager, Map<String, NDArray> weights,
                          int ddimSteps) throws Exception {
        List<List<float[]>> rows = new ArrayList<>();
        for (EmojiClass c : EmojiClass.values()) {
            List<float[]> noises = new ArrayList<>();
            int[] labels = new int[8];
            for (int i = 0; i < 8; i++) {
                noises.add(Diffusion.sampleNoise(1000 + i));
                labels[i] = c.ordinal();
            }
            rows.add(diffusion.ddim(net, io.bayesweep.model.nn.WeightSource.of(weights), manager, noises, labels,
                    ddimSteps, true));
        }
        Path parent = grid.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(grid, Images.gridPng(rows, 4));
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
