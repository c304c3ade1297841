package io.bayesweep.model;

import io.bayesweep.model.emoji.PretrainingSet;
import io.bayesweep.model.nn.TensorFile;
import io.bayesweep.model.nn.UNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pretrained weights of the {@link UNet} (the EMA weights of {@link Pretrain}) plus metadata.
 * The bundled one ships as the classpath resource {@value #RESOURCE}.
 */
public final class BaseModel {
    public static final String RESOURCE = "/io/bayesweep/model/base-model.bsw";
    private static volatile BaseModel bundled;

    private final Map<String, TensorFile.Tensor> weights;
    private final Map<String, String> meta;
    private final int rows;

    /**
     * @param meta must hold the pretraining {@code classes} ('|'-separated, in row order), so that a base model
     *             pretrained on other classes is rejected instead of silently mislabelling subjects
     */
    public BaseModel(Map<String, TensorFile.Tensor> weights, Map<String, String> meta) {
        this.weights = Map.copyOf(weights);
        this.meta = Map.copyOf(meta);
        PretrainingSet set = PretrainingSet.get();
        String classes = String.join("|", set.classes());
        if (!classes.equals(meta.get("classes"))) {
            throw new IllegalArgumentException("base model was pretrained on other classes than the data set's "
                    + "pretraining classes (its 'classes' metadata: " + meta.get("classes") + "): pretrain again");
        }
        this.rows = set.embeddingRows();
        UNet net = new UNet(rows);
        for (UNet.ParamSpec p : net.specs()) {
            TensorFile.Tensor t = weights.get(p.name());
            if (t == null || t.data().length != p.size()) {
                throw new IllegalArgumentException("base model lacks or mis-sizes " + p.name()
                        + " (written for another architecture?)");
            }
        }
    }

    /** The checkpoint shipped with the module (cached after the first load). */
    public static BaseModel bundled() {
        BaseModel b = bundled;
        if (b == null) {
            synchronized (BaseModel.class) {
                if (bundled == null) {
                    try (InputStream in = BaseModel.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled base model " + RESOURCE
                                    + " is missing from the classpath: run io.bayesweep.model.Pretrain (docs/model.md)");
                        }
                        TensorFile.Contents c = TensorFile.read(in, RESOURCE);
                        bundled = new BaseModel(c.tensors(), c.meta());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                b = bundled;
            }
        }
        return b;
    }

    public static BaseModel load(Path file) throws IOException {
        TensorFile.Contents c = TensorFile.read(file);
        return new BaseModel(c.tensors(), c.meta());
    }

    /** Untrained weights, for tests of the training machinery. */
    public static BaseModel random(long seed) {
        PretrainingSet set = PretrainingSet.get();
        return new BaseModel(new UNet(set.embeddingRows()).init(seed), Map.of("kind", "random", "seed",
                Long.toString(seed), "classes", String.join("|", set.classes())));
    }

    /** A UNet of the architecture these weights are for. */
    public UNet unet() {
        return new UNet(rows);
    }

    public Map<String, TensorFile.Tensor> weights() {
        return weights;
    }

    public Map<String, String> meta() {
        return meta;
    }
}
