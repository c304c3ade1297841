package io.bayesweep.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.pytorch.jni.JniUtils;
import io.bayesweep.model.emoji.EmojiDataSet;
import io.bayesweep.model.emoji.EmojiDataSet.Vendor;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.metrics.SampleMetrics;
import io.bayesweep.model.nn.TensorFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureEncoderTest {

    private static float[] withNoise(float[] img, double std, long seed) {
        Random rnd = new Random(seed);
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.max(-1, Math.min(1, out[i] + 2 * std * rnd.nextGaussian()));
        }
        return out;
    }

    private static float[] constant(float v) {
        float[] img = new float[Images.LENGTH];
        Arrays.fill(img, v);
        return img;
    }

    @Test
    void bundledEncoderLoadsOnceAndIsDeterministic() {
        FeatureEncoder e = FeatureEncoder.bundled();
        assertThat(FeatureEncoder.bundled()).isSameAs(e);
        assertThat(e.meta()).containsEntry("arch", FeatureEncoder.ARCH).containsKeys("held_out_retrieval", "steps");
        assertThat(FeatureEncoder.parameterCount()).isLessThan(1_000_000);
        List<float[]> images = new ArrayList<>(Subjects.references("wink"));
        images.addAll(Subjects.references("dog"));
        float[][] a = e.features(images);
        float[][] b = e.features(images);
        assertThat(a).hasNumberOfRows(4);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).hasSize(FeatureEncoder.DIM).isEqualTo(b[i]);
            assertThat(FeatureEncoder.cosine(a[i], a[i])).isCloseTo(1.0, within(1e-6));
            double norm = 0;
            for (float v : a[i]) {
                norm += v * v;
            }
            assertThat(norm).isCloseTo(1.0, within(1e-4));
            // alone or in a batch: the same feature (up to float rounding)
            float[] single = e.feature(images.get(i));
            for (int d = 0; d < single.length; d++) {
                assertThat(single[d]).isCloseTo(a[i][d], within(1e-5f));
            }
        }
        assertThat(e.features(List.of())).isEmpty();
        assertThatThrownBy(() -> e.features(List.of(new float[10]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x16x16");
    }

    @Test
    void worksOnAFreshThreadAndLeavesItsGradModeAlone() throws Exception {
        FeatureEncoder e = FeatureEncoder.bundled();
        float[] img = Subjects.references("blue_heart").get(0);
        float[] here = e.feature(img);
        AtomicReference<float[]> there = new AtomicReference<>();
        AtomicReference<Boolean> gradAfter = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                JniUtils.setGradMode(true); // what a fresh libtorch thread has
                there.set(e.feature(img));
                gradAfter.set(JniUtils.isGradMode());
            } catch (Throwable ex) {
                failure.set(ex);
            }
        });
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
        assertThat(there.get()).isEqualTo(here);
        assertThat(gradAfter.get()).isTrue();
    }

    @Test
    void aReferenceHasFidelityOneToItself() {
        for (String s : List.of("wink", "blue_heart", "dog")) {
            List<float[]> refs = Subjects.references(s);
            Map<String, Double> m = SampleMetrics.compute(refs.subList(0, 1), refs.subList(0, 1), refs.subList(0, 1));
            assertThat(m.get("fidelity")).as(s).isCloseTo(1.0, within(1e-5));
            assertThat(m.get("fidelity_min")).as(s).isCloseTo(1.0, within(1e-5));
            assertThat(m.get("fidelity_max")).as(s).isCloseTo(1.0, within(1e-5));
            assertThat(m.get("pixel_fidelity")).as(s).isCloseTo(1.0, within(1e-9));
            assertThat(m.get("memorization")).as(s).isZero();
        }
    }

    @Test
    void risingNoiseLowersFeatureFidelityAndRaisesTheNoiseMetric() {
        for (String s : List.of("wink", "blue_heart", "dog", "sunflower")) {
            List<float[]> refs = Subjects.references(s);
            double previousFidelity = SampleMetrics.compute(refs, refs, refs).get("fidelity");
            double previousNoise = SampleMetrics.compute(refs, refs, refs).get("noise");
            for (double std : new double[] {0.05, 0.1, 0.2, 0.4}) {
                List<float[]> noisy = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    noisy.add(withNoise(refs.get(k % 2), std, 100 + k));
                }
                Map<String, Double> m = SampleMetrics.compute(noisy, refs, refs);
                assertThat(m.get("fidelity")).as(s + " std " + std).isLessThan(previousFidelity);
                assertThat(m.get("noise")).as(s + " std " + std).isGreaterThan(previousNoise);
                previousFidelity = m.get("fidelity");
                previousNoise = m.get("noise");
            }
        }
    }

    @Test
    void identicalSamplesHaveZeroDiversityAndDifferentConceptsAPositiveOne() {
        float[] wink = Subjects.references("wink").get(0);
        List<float[]> refs = Subjects.references("wink");
        Map<String, Double> same = SampleMetrics.compute(List.of(wink, wink.clone(), wink.clone()), refs, refs);
        assertThat(same.get("diversity")).isCloseTo(0.0, within(1e-6));
        assertThat(same.get("pixel_diversity")).isZero();
        List<float[]> mixed = List.of(wink, Subjects.references("dog").get(0), Subjects.references("sunflower").get(0));
        Map<String, Double> m = SampleMetrics.compute(mixed, refs, refs);
        assertThat(m.get("diversity")).isGreaterThan(0.3).isLessThanOrEqualTo(2.0);
        assertThat(FeatureMetrics.diversity(new float[][] {FeatureEncoder.bundled().feature(wink)})).isZero();
    }

    @Test
    void theOtherVendorsDrawingScoresHigherThanAConceptOfAnotherClass() {
        FeatureEncoder e = FeatureEncoder.bundled();
        List<String> subjects = Subjects.names();
        int wins = 0;
        double sameSum = 0;
        double otherSum = 0;
        for (int i = 0; i < subjects.size(); i++) {
            String s = subjects.get(i);
            // the next subject whose class differs
            String other = null;
            for (int j = 1; j < subjects.size() && other == null; j++) {
                String o = subjects.get((i + j) % subjects.size());
                if (!Subjects.classOf(o).equals(Subjects.classOf(s))) {
                    other = o;
                }
            }
            float[][] noto = e.features(List.of(Subjects.references(s).get(Vendor.NOTO.ordinal())));
            double same = FeatureMetrics.fidelities(
                    e.features(List.of(Subjects.references(s).get(Vendor.TWEMOJI.ordinal()))), noto)[0];
            double diff = FeatureMetrics.fidelities(
                    e.features(List.of(Subjects.references(other).get(Vendor.TWEMOJI.ordinal()))), noto)[0];
            sameSum += same;
            otherSum += diff;
            wins += same > diff ? 1 : 0;
        }
        assertThat(wins).as("subjects whose other-vendor drawing wins").isGreaterThanOrEqualTo(subjects.size() - 2);
        assertThat(sameSum / subjects.size()).isGreaterThan(otherSum / subjects.size() + 0.2);
        // and for the first subject exactly as SampleMetrics reports it
        List<float[]> wink = Subjects.references("wink");
        float[] dog = EmojiDataSet.bundled().image(EmojiDataSet.bundled().concept("dog"), Vendor.TWEMOJI);
        assertThat(SampleMetrics.compute(List.of(wink.get(1)), wink.subList(0, 1), wink).get("fidelity"))
                .isGreaterThan(SampleMetrics.compute(List.of(dog), wink.subList(0, 1), wink).get("fidelity"));
    }

    @Test
    void blankImagesGiveFiniteMetrics() {
        List<float[]> refs = Subjects.references("ghost");
        for (float v : new float[] {1f, -1f, 0f}) {
            List<float[]> blank = List.of(constant(v), constant(v));
            Map<String, Double> m = SampleMetrics.compute(blank, refs, refs);
            m.forEach((k, x) -> assertThat(x).as(k + " of a constant " + v + " image").isFinite());
            assertThat(m.get("fidelity")).isBetween(-1.0, 1.0);
            assertThat(m.get("diversity")).isCloseTo(0.0, within(1e-6));
            Map<String, Double> asRef = SampleMetrics.compute(refs, blank, blank);
            asRef.forEach((k, x) -> assertThat(x).as(k + " against a constant " + v + " reference").isFinite());
        }
    }

    @Test
    void aTruncatedOrForeignEncoderFileIsAClearError(@TempDir Path dir) throws Exception {
        byte[] bytes;
        try (InputStream in = FeatureEncoder.class.getResourceAsStream(FeatureEncoder.RESOURCE)) {
            assertThat(in).as("the shipped encoder").isNotNull();
            bytes = in.readAllBytes();
        }
        assertThat(bytes.length).isLessThan(5_000_000);
        Path whole = dir.resolve("whole.bsw");
        Files.write(whole, bytes);
        float[] img = Subjects.references("dog").get(0);
        assertThat(FeatureEncoder.load(whole).feature(img)).isEqualTo(FeatureEncoder.bundled().feature(img));

        Path truncated = dir.resolve("truncated.bsw");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> FeatureEncoder.load(truncated)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("truncated or corrupt").hasMessageContaining("TrainEncoder");

        byte[] flipped = bytes.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Path corrupt = dir.resolve("corrupt.bsw");
        Files.write(corrupt, flipped);
        assertThatThrownBy(() -> FeatureEncoder.load(corrupt)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checksum mismatch");

        Map<String, TensorFile.Tensor> weights = new LinkedHashMap<>(FeatureEncoder.init(1));
        Path foreign = dir.resolve("foreign.bsw");
        TensorFile.write(foreign, Map.of("arch", "something-else"), weights);
        assertThatThrownBy(() -> FeatureEncoder.load(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("architecture").hasMessageContaining("TrainEncoder");
        weights.remove("c3.w");
        Path missing = dir.resolve("missing.bsw");
        TensorFile.write(missing, Map.of("arch", FeatureEncoder.ARCH), weights);
        assertThatThrownBy(() -> FeatureEncoder.load(missing)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("c3.w");
        assertThatThrownBy(() -> FeatureEncoder.load(dir.resolve("absent.bsw")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent.bsw");
    }
}
