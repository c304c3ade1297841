package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.metrics.ImageMetrics;
import io.bayesweep.model.metrics.SampleMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

    private static float[] withNoise(float[] img, double std, long seed) {
        Random rnd = new Random(seed);
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.max(-1, Math.min(1, out[i] + 2 * std * rnd.nextGaussian()));
        }
        return out;
    }

    @Test
    void noiseEstimateRisesWithNoiseStd() {
        float[] clean = Subjects.references("blue_heart").get(0);
        double previous = ImageMetrics.immerkaerNoise(clean);
        double previousHf = ImageMetrics.highFrequencyRatio(clean);
        for (double std : new double[] {0.02, 0.05, 0.1, 0.2}) {
            float[] noisy = withNoise(clean, std, 7);
            double n = ImageMetrics.immerkaerNoise(noisy);
            double hf = ImageMetrics.highFrequencyRatio(noisy);
            assertThat(n).isGreaterThan(previous);
            assertThat(hf).isGreaterThan(previousHf);
            previous = n;
            previousHf = hf;
        }
    }

    @Test
    void immerkaerRecoversTheStdOfPureNoiseOnFlatGrey() {
        float[] grey = new float[Images.LENGTH];
        float[] noisy = withNoise(grey, 0.05, 3); // std 0.05 in [0, 1] units, small enough not to clip
        assertThat(ImageMetrics.immerkaerNoise(grey)).isZero();
        assertThat(ImageMetrics.immerkaerNoise(noisy)).isCloseTo(0.05 * Math.sqrt(0.299 * 0.299 + 0.587 * 0.587
                + 0.114 * 0.114), within(0.012));
        assertThat(ImageMetrics.highFrequencyRatio(grey)).isZero();
        assertThat(ImageMetrics.highFrequencyRatio(noisy)).isBetween(0.5, 0.9);
    }

    @Test
    void identicalSamplesHaveZeroDiversityAndCopiesZeroMemorization() {
        List<float[]> refs = Subjects.references("wink");
        List<float[]> same = List.of(refs.get(0), refs.get(0).clone(), refs.get(0).clone());
        assertThat(ImageMetrics.diversity(same)).isZero();
        assertThat(ImageMetrics.diversity(refs)).isGreaterThan(0.01);
        List<float[]> copies = List.of(refs.get(1).clone(), refs.get(0).clone(), refs.get(1).clone());
        assertThat(ImageMetrics.memorization(copies, refs)).isZero();
        List<float[]> noisy = new ArrayList<>();
        for (float[] r : refs) {
            noisy.add(withNoise(r, 0.1, 5));
        }
        assertThat(ImageMetrics.memorization(noisy, refs)).isGreaterThan(0.05);
    }

    @Test
    void fidelityIsOneForTheReferenceAndLowerForAnotherSubject() {
        List<float[]> heart = Subjects.references("blue_heart");
        List<float[]> star = Subjects.references("sunflower");
        assertThat(ImageMetrics.centredCosine(heart.get(0), heart.get(0))).isCloseTo(1.0, within(1e-9));
        double same = ImageMetrics.fidelities(List.of(heart.get(1)), heart)[0];
        double other = ImageMetrics.fidelities(List.of(star.get(0)), heart)[0];
        assertThat(same).isGreaterThan(other + 0.2);
        // fidelity and diversity are feature-space metrics now (docs/encoder.md); the pixel ones stay under new names
        Map<String, Double> m = SampleMetrics.compute(heart, heart, heart.subList(0, 1));
        assertThat(m).containsOnlyKeys("fidelity", "fidelity_min", "fidelity_max", "pixel_fidelity", "noise",
                "hf_ratio", "diversity", "pixel_diversity", "memorization");
        assertThat(m.get("fidelity_min")).isLessThanOrEqualTo(m.get("fidelity")).isPositive();
        assertThat(m.get("fidelity_max")).isGreaterThanOrEqualTo(m.get("fidelity")).isLessThanOrEqualTo(1.0 + 1e-6);
        double[] pixel = ImageMetrics.fidelities(heart, heart);
        assertThat(m.get("pixel_fidelity")).isCloseTo((pixel[0] + pixel[1]) / 2, within(1e-12));
        assertThat(m.get("pixel_diversity")).isEqualTo(ImageMetrics.diversity(heart));
        assertThat(m.get("memorization")).isEqualTo(ImageMetrics.memorization(heart, heart.subList(0, 1)));
        // the two vendors' drawings of one concept are closer in feature space than a heart and a flower
        Map<String, Double> mixed = SampleMetrics.compute(List.of(heart.get(0), star.get(0)), heart, heart);
        assertThat(m.get("fidelity_min")).isGreaterThan(mixed.get("fidelity_min"));
        assertThat(mixed.get("diversity")).isGreaterThan(m.get("diversity"));
        assertThat(mixed.get("diversity")).isBetween(0.0, 2.0);
    }

    @Test
    void everySubjectHasTwoDifferentVendorImages() {
        assertThat(Subjects.names()).hasSizeGreaterThanOrEqualTo(20).startsWith("wink").contains("blue_heart", "dog");
        for (String s : Subjects.names()) {
            List<float[]> refs = Subjects.references(s);
            assertThat(refs).hasSize(Subjects.MAX_SHOTS).hasSize(2);
            assertThat(refs.get(0)).hasSize(Images.LENGTH);
            assertThat(ImageMetrics.rmse(refs.get(0), refs.get(1))).as(s).isGreaterThan(0.01);
        }
    }
}
