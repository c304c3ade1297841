package io.bayesweep.model.encoder;

import io.bayesweep.model.ToolArgs;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.bayesweep.model.ComputeDevice;
import io.bayesweep.model.emoji.EmojiDataSet;
import io.bayesweep.model.emoji.EmojiDataSet.Concept;
import io.bayesweep.model.emoji.EmojiDataSet.Vendor;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.nn.Adam;
import io.bayesweep.model.nn.Nd;
import io.bayesweep.model.nn.TensorFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the {@link FeatureEncoder} (docs/encoder.md): identity classification of the 1,906 emoji concepts,
 * both vendors' drawings of a concept being one class, with a cosine-softmax head on the L2-normalised
 * features, label smoothing 0.1 and dropout 0.2 on the pooled vector. Augmentation: random shift of up to 2 px
 * (white fill), zoom by up to 15%, per-channel gain of the ink by up to 10%, brightness and contrast jitter; never
 * noise (noise must lower fidelity) and never flips (a flip turns one emoji into another, e.g.
 * a wink). For a seeded 20% of the concepts the Twemoji drawing is held out of training (their Noto drawing
 * still trains); the report measures on those held-out drawings:
 * <ul>
 * <li>top-1 / top-5 classification accuracy over all 1,906 classes (the training head);</li>
 * <li>cross-vendor retrieval: is the nearest (cosine) of the 1,906 Noto features the same concept?</li>
 * </ul>
 * overall and restricted to the diffusion model's categories (Smileys &amp; Emotion, Animals &amp; Nature).
 *
 * <pre>
 * --steps 5000 --batch 128 --lr 5e-3 --seed 1 --eval-every 2500
 * --out model/src/main/resources/io/bayesweep/model/encoder.bsw --report /tmp/encoder-report.md
 * </pre>
 * (the shipped encoder; the other options keep their defaults: {@code --scale 16 --held-out 0.2 --zoom 0.15
 * --color 0.1 --dropout 0.2 --smoothing 0.1}). Adam with 100 warm-up steps and cosine decay to 0, no weight
 * decay. Deterministic: every random choice of step k comes from {@code new Random(seed * 31 + k)} (two
 * 300-step runs of the same command, in two JVMs, wrote byte-identical files).
 */
public final class TrainEncoder {
    static final List<String> MODEL_CATEGORIES = List.of("Smileys & Emotion", "Animals & Nature");

    private TrainEncoder() {
    }

    /** The encoder's training data: every image, and which Twemoji drawings are held out. */
    record Data(List<Concept> concepts, float[][] noto, float[][] twemoji, boolean[] heldOut) {
        static Data load(long seed, double heldOutFraction) {
            EmojiDataSet ds = EmojiDataSet.bundled();
            List<Concept> concepts = ds.concepts();
            int n = concepts.size();
            float[][] noto = new float[n][];
            float[][] tw = new float[n][];
            for (int i = 0; i < n; i++) {
                noto[i] = ds.image(concepts.get(i), Vendor.NOTO);
                tw[i] = ds.image(concepts.get(i), Vendor.TWEMOJI);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            boolean[] held = new boolean[n];
            int k = (int) Math.round(heldOutFraction * n);
            for (int i = 0; i < k; i++) {
                held[order.get(i)] = true;
            }
            return new Data(concepts, noto, tw, held);
        }

        List<Integer> heldOutIndices() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < heldOut.length; i++) {
                if (heldOut[i]) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        ToolArgs a = ToolArgs.parse(args);
        ToolArgs.defaultToOneThread();
        int steps = Integer.parseInt(a.getOrDefault("steps", "5000"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "128"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "5e-3"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        double scale = Double.parseDouble(a.getOrDefault("scale", "16"));
        double heldOutFraction = Double.parseDouble(a.getOrDefault("held-out", "0.2"));
        double zoom = Double.parseDouble(a.getOrDefault("zoom", "0.15"));
        double color = Double.parseDouble(a.getOrDefault("color", "0.1"));
        double dropout = Double.parseDouble(a.getOrDefault("dropout", "0.2"));
        double smoothing = Double.parseDouble(a.getOrDefault("smoothing", "0.1"));
        double maxMinutes = Double.parseDouble(a.getOrDefault("max-minutes", "1e9"));
        int evalEvery = Integer.parseInt(a.getOrDefault("eval-every", "1000"));
        Path out = Path.of(a.getOrDefault("out", "encoder.bsw"));
        Path reportPath = a.containsKey("report") ? Path.of(a.get("report")) : null;
        a.rejectUnknown();
        int warmup = Math.min(100, steps / 10 + 1);

        Data data = Data.load(seed, heldOutFraction);
        int n = data.concepts().size();
        List<Integer> held = data.heldOutIndices();
        System.out.printf("data %d concepts x 2 vendors; %d Twemoji drawings held out (seed %d); training images %d; "
                        + "encoder %d parameters (+ head %d x %d)%n", n, held.size(), seed, 2 * n - held.size(),
                FeatureEncoder.parameterCount(), n, FeatureEncoder.DIM);

        NDManager manager = Engine.getInstance().newBaseManager(ComputeDevice.select());
        System.out.println("device " + ComputeDevice.describe());
        Map<String, NDArray> params = new LinkedHashMap<>();
        FeatureEncoder.init(seed).forEach((k, t) -> params.put(k, Nd.create(manager, t.data(), new Shape(t.shape()))));
        Random headRnd = new Random(seed + 7);
        float[] head = new float[n * FeatureEncoder.DIM];
        for (int i = 0; i < head.length; i++) {
            head[i] = (float) headRnd.nextGaussian();
        }
        params.put("head.w", Nd.create(manager, head, new Shape(n, FeatureEncoder.DIM)));
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        Adam adam = new Adam(manager, params, 0.9, 0.999, 1e-8);
        NDArray scaleNd = Nd.scalar(manager, scale);

        long t0 = System.nanoTime();
        double lossAcc = 0;
        int lossN = 0;
        int len = Images.LENGTH;
        int step = 0;
        while (step < steps && (System.nanoTime() - t0) / 60e9 < maxMinutes) {
            step++;
            Random rnd = new Random(seed * 31 + step);
            float[] x = new float[batch * len];
            float[] target = new float[batch * n];
            java.util.Arrays.fill(target, (float) (smoothing / n));
            for (int i = 0; i < batch; i++) {
                int c = rnd.nextInt(n);
                boolean twemoji = !data.heldOut()[c] && rnd.nextBoolean();
                float[] img = augment(twemoji ? data.twemoji()[c] : data.noto()[c], rnd, zoom, color);
                System.arraycopy(img, 0, x, i * len, len);
                target[i * n + c] += (float) (1 - smoothing);
            }
            int pooledDim = (int) FeatureEncoder.specs().stream().filter(p -> p.name().equals("proj.w")).findFirst()
                    .orElseThrow().shape()[1];
            float[] mask = new float[batch * pooledDim];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rnd.nextDouble() < dropout ? 0f : (float) (1 / (1 - dropout));
            }
            double loss;
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray xs = Nd.create(manager, x, new Shape(batch, 3, Images.SIZE, Images.SIZE));
                NDArray f = FeatureEncoder.forward(params, xs,
                        dropout > 0 ? Nd.create(manager, mask, new Shape(batch, pooledDim)) : null);
                NDArray w = FeatureEncoder.l2normalize(params.get("head.w"));
                NDArray logits = f.matMul(w.transpose()).mul(scaleNd);
                NDArray l = logits.logSoftmax(1).mul(Nd.create(manager, target, new Shape(batch, n))).sum()
                        .mul(Nd.scalar(manager, -1.0 / batch));
                gc.backward(l);
                loss = l.getFloat();
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss diverged at step " + step);
            }
            double progress = (double) step / steps;
            double lrNow = lr * Math.min(1.0, step / (double) warmup) * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
            adam.step(params, lrNow, 0);
            lossAcc += loss;
            lossN++;
            if (step % 100 == 0) {
                double el = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "step %d loss %.4f lr %.2e  %.2f steps/s  %.0f s%n", step,
                        lossAcc / lossN, lrNow, step / el, el);
                lossAcc = 0;
                lossN = 0;
            }
            if (evalEvery > 0 && step % evalEvery == 0 && step < steps) {
                Report r = evaluate(data, featureFn(params, manager), headWeights(params));
                System.out.printf(Locale.ROOT, "step %d held-out Twemoji: top-1 %.3f top-5 %.3f retrieval %.3f%n",
                        step, r.top1, r.top5, r.retrieval);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;

        Map<String, TensorFile.Tensor> weights = new LinkedHashMap<>();
        for (FeatureEncoder.ParamSpec p : FeatureEncoder.specs()) {
            NDArray v = params.get(p.name());
            weights.put(p.name(), new TensorFile.Tensor(v.getShape().getShape(), v.toFloatArray()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", "feature-encoder");
        meta.put("arch", FeatureEncoder.ARCH);
        FeatureEncoder encoder = new FeatureEncoder(weights, meta);
        Report r = evaluate(data, encoder::features, headWeights(params));
        meta.put("training", "identity classification of " + n + " emoji concepts (Noto + Twemoji 16x16 as one "
                + "class), cosine-softmax head, scale " + scale + ", label smoothing " + smoothing
                + ", feature dropout " + dropout + ", shift <= 2 px, zoom +-" + zoom + ", colour gain +-" + color
                + ", brightness/contrast jitter");
        meta.put("steps", Integer.toString(step));
        meta.put("batch", Integer.toString(batch));
        meta.put("lr", Double.toString(lr));
        meta.put("seed", Long.toString(seed));
        meta.put("held_out", held.size() + " Twemoji drawings (" + heldOutFraction + " of the concepts, seed " + seed
                + ")");
        meta.putAll(r.asMeta());
        TensorFile.write(out, meta, weights);
        String report = r.text(step, batch, wall, held.size())
                + String.format(Locale.ROOT, "%nwrote %s (%d bytes)%n", out, Files.size(out));
        System.out.print(report);
        if (reportPath != null) {
            Files.writeString(reportPath, report, StandardCharsets.UTF_8);
        }
        manager.close();
    }

    /**
     * One training view of an image: zoom by a factor in [1 - zoom, 1 + zoom], shift by up to 2 px, per-channel gain
     * of (1 - x) in [1 - color, 1 + color] (white stays white), contrast in [0.85, 1.15] and brightness in
     * [-0.1, 0.1]; white fill.
     */
    static float[] augment(float[] img, Random rnd, double zoom, double color) {
        float[] x = img;
        if (zoom > 0) {
            x = zoom(x, 1 + zoom * (2 * rnd.nextDouble() - 1));
        }
        x = Images.shift(x, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2);
        double contrast = 0.85 + 0.3 * rnd.nextDouble();
        double brightness = 0.2 * rnd.nextDouble() - 0.1;
        float[] out = new float[x.length];
        for (int ch = 0; ch < Images.CHANNELS; ch++) {
            double gain = 1 + color * (2 * rnd.nextDouble() - 1); // applied to (1 - x): white stays white
            for (int i = ch * Images.PIXELS; i < (ch + 1) * Images.PIXELS; i++) {
                double v = 1 - gain * (1 - x[i]);
                out[i] = (float) Math.max(-1, Math.min(1, contrast * v + brightness));
            }
        }
        return out;
    }

    /** Scales an image about its centre by {@code s} (bilinear, white outside). */
    static float[] zoom(float[] img, double s) {
        int size = Images.SIZE;
        int p = Images.PIXELS;
        float[] out = new float[Images.LENGTH];
        double c = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                double sy = c + (y - c) / s;
                double sx = c + (xx - c) / s;
                int y0 = (int) Math.floor(sy);
                int x0 = (int) Math.floor(sx);
                double fy = sy - y0;
                double fx = sx - x0;
                for (int ch = 0; ch < 3; ch++) {
                    double v = (1 - fy) * ((1 - fx) * px(img, ch, y0, x0) + fx * px(img, ch, y0, x0 + 1))
                            + fy * ((1 - fx) * px(img, ch, y0 + 1, x0) + fx * px(img, ch, y0 + 1, x0 + 1));
                    out[ch * p + y * size + xx] = (float) v;
                }
            }
        }
        return out;
    }

    private static double px(float[] img, int ch, int y, int x) {
        if (y < 0 || x < 0 || y >= Images.SIZE || x >= Images.SIZE) {
            return 1.0;
        }
        return img[ch * Images.PIXELS + y * Images.SIZE + x];
    }

    interface Features {
        float[][] of(List<float[]> images);
    }

    private static Features featureFn(Map<String, NDArray> params, NDManager manager) {
        return images -> {
            float[][] out = new float[images.size()][];
            for (int start = 0; start < images.size(); start += 256) {
                int b = Math.min(256, images.size() - start);
                float[] flat = new float[b * Images.LENGTH];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(images.get(start + i), 0, flat, i * Images.LENGTH, Images.LENGTH);
                }
                float[] f;
                try (NDScope scope = new NDScope()) {
                    f = FeatureEncoder.forward(params, Nd.create(manager, flat, new Shape(b, 3, Images.SIZE,
                            Images.SIZE))).toFloatArray();
                }
                for (int i = 0; i < b; i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(f, i * FeatureEncoder.DIM, (i + 1) * FeatureEncoder.DIM);
                }
            }
            return out;
        };
    }

    /** The head's rows, L2-normalised. */
    private static float[][] headWeights(Map<String, NDArray> params) {
        NDArray w = params.get("head.w");
        int n = (int) w.getShape().get(0);
        float[] flat = w.toFloatArray();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] row = java.util.Arrays.copyOfRange(flat, i * FeatureEncoder.DIM, (i + 1) * FeatureEncoder.DIM);
            double s = 0;
            for (float v : row) {
                s += v * v;
            }
            double norm = Math.sqrt(s) + 1e-12;
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (row[j] / norm);
            }
            out[i] = row;
        }
        return out;
    }

    /** Held-out accuracies, for all held-out drawings and for those of the diffusion model's categories. */
    static final class Report {
        double top1;
        double top5;
        double retrieval;
        int nModel;
        double top1Model;
        double top5Model;
        double retrievalModel;
        double trainTop1;
        double trainRetrieval;
        double cosSame;
        double cosSameSubcat;
        double cosOther;
        double[] noiseStd;
        double[] noiseFidelity;

        Map<String, String> asMeta() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("held_out_top1", fmt(top1));
            m.put("held_out_top5", fmt(top5));
            m.put("held_out_retrieval", fmt(retrieval));
            m.put("held_out_model_categories_top1", fmt(top1Model));
            m.put("held_out_model_categories_top5", fmt(top5Model));
            m.put("held_out_model_categories_retrieval", fmt(retrievalModel));
            return m;
        }

        String text(int steps, int batch, double wall, int heldCount) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "steps %d, batch %d, wall %.0f s%n", steps, batch, wall));
            s.append(String.format(Locale.ROOT, "held-out Twemoji drawings (%d): top-1 %.3f, top-5 %.3f, "
                    + "cross-vendor retrieval (nearest of 1,906 Noto) %.3f%n", heldCount, top1, top5, retrieval));
            s.append(String.format(Locale.ROOT, "  of them Smileys & Emotion + Animals & Nature (%d): top-1 %.3f, "
                    + "top-5 %.3f, retrieval %.3f%n", nModel, top1Model, top5Model, retrievalModel));
            s.append(String.format(Locale.ROOT, "training Twemoji drawings (no augmentation): top-1 %.3f, "
                    + "retrieval %.3f%n", trainTop1, trainRetrieval));
            s.append(String.format(Locale.ROOT, "cosine of a held-out Twemoji feature to the Noto feature of: the same "
                    + "concept %.3f, another concept of its subcategory %.3f, a concept of another category %.3f "
                    + "(means)%n", cosSame, cosSameSubcat, cosOther));
            s.append("fidelity of a subject's Noto drawing + Gaussian noise to its two references (mean over the 24 "
                    + "subjects):");
            for (int i = 0; i < noiseStd.length; i++) {
                s.append(String.format(Locale.ROOT, " std %.2f: %.3f;", noiseStd[i], noiseFidelity[i]));
            }
            s.append(System.lineSeparator());
            return s.toString();
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
    }

    static Report evaluate(Data data, Features features, float[][] head) {
        int n = data.concepts().size();
        float[][] noto = features.of(List.of(data.noto()));
        float[][] tw = features.of(List.of(data.twemoji()));
        Report r = new Report();
        int cnt = 0;
        int cntTrain = 0;
        double trainTop1 = 0;
        double trainRet = 0;
        double sameSum = 0;
        double subSum = 0;
        int subN = 0;
        double otherSum = 0;
        int otherN = 0;
        Random pick = new Random(99);
        for (int i = 0; i < n; i++) {
            int[] ranks = topK(tw[i], head, 5);
            int nearest = topK(tw[i], noto, 1)[0];
            boolean top1 = ranks[0] == i;
            boolean top5 = false;
            for (int k : ranks) {
                top5 |= k == i;
            }
            boolean ret = nearest == i;
            if (!data.heldOut()[i]) {
                cntTrain++;
                trainTop1 += top1 ? 1 : 0;
                trainRet += ret ? 1 : 0;
                continue;
            }
            Concept c = data.concepts().get(i);
            cnt++;
            r.top1 += top1 ? 1 : 0;
            r.top5 += top5 ? 1 : 0;
            r.retrieval += ret ? 1 : 0;
            if (MODEL_CATEGORIES.contains(c.category())) {
                r.nModel++;
                r.top1Model += top1 ? 1 : 0;
                r.top5Model += top5 ? 1 : 0;
                r.retrievalModel += ret ? 1 : 0;
            }
            sameSum += FeatureEncoder.cosine(tw[i], noto[i]);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                Concept o = data.concepts().get(j);
                if (o.subcategory().equals(c.subcategory())) {
                    subSum += FeatureEncoder.cosine(tw[i], noto[j]);
                    subN++;
                } else if (!o.category().equals(c.category()) && pick.nextInt(20) == 0) {
                    otherSum += FeatureEncoder.cosine(tw[i], noto[j]);
                    otherN++;
                }
            }
        }
        r.top1 /= cnt;
        r.top5 /= cnt;
        r.retrieval /= cnt;
        r.top1Model /= Math.max(1, r.nModel);
        r.top5Model /= Math.max(1, r.nModel);
        r.retrievalModel /= Math.max(1, r.nModel);
        r.trainTop1 = trainTop1 / Math.max(1, cntTrain);
        r.trainRetrieval = trainRet / Math.max(1, cntTrain);
        r.cosSame = sameSum / cnt;
        r.cosSameSubcat = subSum / Math.max(1, subN);
        r.cosOther = otherSum / Math.max(1, otherN);
        r.noiseStd = new double[] {0, 0.05, 0.1, 0.2, 0.4};
        r.noiseFidelity = new double[r.noiseStd.length];
        for (String subject : Subjects.names()) {
            List<float[]> refs = Subjects.references(subject);
            float[][] rf = features.of(refs);
            for (int k = 0; k < r.noiseStd.length; k++) {
                Random rnd = new Random(11);
                float[] noisy = refs.get(0).clone();
                for (int i = 0; i < noisy.length; i++) {
                    noisy[i] = (float) Math.max(-1, Math.min(1, noisy[i] + 2 * r.noiseStd[k] * rnd.nextGaussian()));
                }
                r.noiseFidelity[k] += FeatureMetrics.fidelities(features.of(List.of(noisy)), rf)[0]
                        / Subjects.names().size();
            }
        }
        return r;
    }

    /** Indices of the k rows of {@code keys} with the largest dot product with {@code q}, best first. */
    private static int[] topK(float[] q, float[][] keys, int k) {
        int[] best = new int[k];
        double[] score = new double[k];
        java.util.Arrays.fill(best, -1);
        java.util.Arrays.fill(score, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < keys.length; j++) {
            double s = 0;
            float[] v = keys[j];
            for (int d = 0; d < q.length; d++) {
                s += q[d] * v[d];
            }
            if (s > score[k - 1]) {
                int pos = k - 1;
                while (pos > 0 && s > score[pos - 1]) {
                    score[pos] = score[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                score[pos] = s;
                best[pos] = j;
            }
        }
        return best;
    }
}
