package io.bayesweep.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The deterministic generator of the labelled synthetic traces in
 * {@code core/src/test/resources/traces/synthetic} (CSV per trace + {@code labels.json}). Each
 * trace models one fine-tuning run's eval points: fidelity rising to a plateau (optionally on into
 * over-fitting: memorization toward 0, sigma1 narrowing), a noise level on some absolute scale,
 * measurement noise on every metric, and the events under test: corruption dips (fidelity falls
 * while noise rises, then both recover), single-point spikes, slow drifts, early speckle, missing
 * cells and rows, traces that stop inside a dip.
 *
 * <p>Regenerate (after changing this class) with
 * {@code ./mvnw -q -pl core test -Dtest=SyntheticTracesTest -Dbayesweep.regenerateTraces=true};
 * without the property, {@link SyntheticTracesTest} checks the committed files are exactly what
 * this class generates. Randomness is {@link java.util.Random} with fixed seeds (its algorithm is
 * specified) and the math is {@link StrictMath} (bit-exact everywhere, unlike {@code Math.exp}), so
 * the output is the same on every JVM and CPU.
 */
final class SyntheticTraces {
    static final String DIR = "src/test/resources/traces/synthetic";

    static final List<String> FULL = List.of("step", "fidelity", "noise", "diversity", "memorization", "sigma1", "loss");
    static final List<String> MINIMAL = List.of("step", "fidelity", "noise");
    /** Another order, an unknown column (kl) and no diversity/sigma1: the reader must not care. */
    static final List<String> SHUFFLED = List.of("loss", "noise", "kl", "step", "fidelity", "memorization");

    /** One generated trace: its CSV text and its labels. */
    record Trace(String file, String kind, String note, String csv, List<TraceLabels.LabelledWindow> windows) {
    }

    /**
     * A corruption dip: shape 0 -> 1 over {@code down} points, 1 for {@code hold}, back to 0 over {@code up};
     * fidelity falls by {@code depth} x shape, noise is multiplied by 1 + {@code noiseRise} x shape, the noise
     * shape lagging {@code noiseLag} points behind fidelity's.
     */
    record Dip(int onset, int down, int hold, int up, double depth, double noiseRise, int noiseLag) {
        Dip(int onset, int down, int hold, int up, double depth, double noiseRise) {
            this(onset, down, hold, up, depth, noiseRise, 0);
        }

        double noiseShape(int i) {
            return shape(i - noiseLag);
        }

        double shape(int i) {
            int k = i - onset;
            if (k < 0) {
                return 0;
            }
            if (k < down) {
                return (k + 1.0) / down;
            }
            if (k < down + hold) {
                return 1;
            }
            int r = k - down - hold;
            return r < up ? 1 - (r + 1.0) / (up + 1) : 0;
        }

        /** Index of the first point back to normal. */
        int endIndex() {
            return onset + down + hold + up + noiseLag;
        }
    }

    /** A single bad point: fidelity down by {@code drop} and noise times {@code noiseFactor}. */
    record Spike(int index, double drop, double noiseFactor) {
    }

    /** The parameters of one trace; {@link #generate} turns them into rows. */
    static final class Spec {
        String file;
        String kind;
        String note = "";
        long seed;
        int points = 80;
        long evalEvery = 10;
        double f0 = 0.4;
        double plateau = 0.85;
        double tau = 6;
        double fidelityNoise = 0.01;
        double noiseLevel = 0.03;
        double noiseJitter = 0.06;
        double scale = 1;
        /** Index where over-fitting starts (fidelity -> 0.96, memorization -> 0, sigma1 narrows); -1: never. */
        int overfitAt = -1;
        double overfitTau = 10;
        int earlySpeckle;
        double earlySpeckleFactor = 5;
        int driftFrom = -1;
        double fidelityDrift;
        double noiseDrift;
        final List<Dip> dips = new ArrayList<>();
        final List<Spike> spikes = new ArrayList<>();
        /** Bumps of noise alone (fidelity unchanged) and of fidelity alone, as dips with one side zeroed. */
        final List<Dip> noiseOnly = new ArrayList<>();
        final List<Dip> fidelityOnly = new ArrayList<>();
        double missing;
        /** Indices whose fidelity cell is left empty even inside a dip. */
        final List<Integer> blankFidelity = new ArrayList<>();
        List<String> columns = FULL;

        Spec(String file, String kind, long seed) {
            this.file = file;
            this.kind = kind;
            this.seed = seed;
        }

        Spec with(Consumer<Spec> change) {
            change.accept(this);
            return this;
        }
    }

    private SyntheticTraces() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : DIR));
    }

    /** Writes every trace and labels.json into {@code dir} (created if needed). */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : files().entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** File name -> content, labels.json included. */
    static Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Map<String, Object> labels = new LinkedHashMap<>();
        for (Trace trace : all()) {
            files.put(trace.file(), trace.csv());
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("kind", trace.kind());
            label.put("note", trace.note());
            List<Map<String, Object>> windows = new ArrayList<>();
            for (TraceLabels.LabelledWindow w : trace.windows()) {
                Map<String, Object> window = new LinkedHashMap<>();
                window.put("onset", w.onset());
                window.put("end", w.end());
                windows.add(window);
            }
            label.put("windows", windows);
            labels.put(trace.file(), label);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("description", "Synthetic eval-step traces for the corruption-stage detector, generated by "
                + "core/src/test/java/io/bayesweep/detect/SyntheticTraces.java (see docs/detection.md). A window's "
                + "onset is the first eval step inside the dip, its end the first eval step back to normal (null: "
                + "the trace ends inside the dip).");
        root.put("traces", labels);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
                .replace("\r\n", "\n") + "\n";
        files.put(TraceLabels.FILE_NAME, json);
        return files;
    }

    static List<Trace> all() {
        List<Trace> traces = new ArrayList<>();
        for (Spec spec : specs()) {
            traces.add(generate(spec));
        }
        return traces;
    }

    // ---------------------------------------------------------------------------------------------
    // The set: clean runs, drifts, spikes, one-sided bumps, dips of many shapes, early stops,
    // missing data, other noise scales.

    static List<Spec> specs() {
        List<Spec> s = new ArrayList<>();
        long seed = 4000;

        // Clean: rise then plateau (different speeds, levels, measurement noise, eval intervals).
        s.add(new Spec("clean-plateau-01.csv", "clean-plateau", seed++).with(x -> x.note = "rise then a long plateau"));
        s.add(new Spec("clean-plateau-02.csv", "clean-plateau", seed++).with(x -> {
            x.note = "slow rise, noisy fidelity, 25-step evals, only the required columns";
            x.tau = 14; x.fidelityNoise = 0.02; x.evalEvery = 25; x.points = 100; x.columns = MINIMAL;
        }));
        s.add(new Spec("clean-plateau-03.csv", "clean-plateau", seed++).with(x -> {
            x.note = "fast rise, high plateau, jittery noise metric";
            x.tau = 3; x.plateau = 0.93; x.noiseJitter = 0.12; x.evalEvery = 5; x.points = 120;
        }));
        s.add(new Spec("clean-plateau-04.csv", "clean-plateau", seed++).with(x -> {
            x.note = "low plateau, columns in another order with an unknown column";
            x.f0 = 0.3; x.plateau = 0.62; x.fidelityNoise = 0.015; x.columns = SHUFFLED; x.evalEvery = 20;
        }));
        // Clean: rise then slow over-fitting (memorization -> 0, sigma1 narrows, fidelity creeps up).
        for (int i = 1; i <= 4; i++) {
            int k = i;
            s.add(new Spec("clean-overfit-0" + i + ".csv", "clean-overfit", seed++).with(x -> {
                x.note = "rise, plateau, then slow over-fitting";
                x.overfitAt = 25 + 5 * k; x.overfitTau = 8 + 4 * k; x.points = 90; x.fidelityNoise = 0.006 * k;
                x.evalEvery = k % 2 == 0 ? 20 : 10;
            }));
        }
        // Clean: the early speckle right after fine-tuning starts (large first updates), then normal.
        s.add(new Spec("clean-early-speckle-01.csv", "clean-early-speckle", seed++).with(x -> {
            x.note = "noise x6 on the first 3 points while fidelity is still low";
            x.earlySpeckle = 3; x.earlySpeckleFactor = 6;
        }));
        s.add(new Spec("clean-early-speckle-02.csv", "clean-early-speckle", seed++).with(x -> {
            x.note = "noise x10 on the first 2 points, then a plateau and over-fitting";
            x.earlySpeckle = 2; x.earlySpeckleFactor = 10; x.overfitAt = 40;
        }));

        // Single-point spikes: never a window.
        s.add(new Spec("spike-01.csv", "spike", seed++).with(x -> {
            x.note = "one deep spike on the plateau";
            x.spikes.add(new Spike(40, 0.3, 4));
        }));
        s.add(new Spec("spike-02.csv", "spike", seed++).with(x -> {
            x.note = "three spikes, very deep, three points apart or more";
            x.spikes.add(new Spike(30, 0.45, 6)); x.spikes.add(new Spike(33, 0.2, 3)); x.spikes.add(new Spike(60, 0.4, 5));
        }));
        s.add(new Spec("spike-03.csv", "spike", seed++).with(x -> {
            x.note = "a fidelity-only spike followed at once by a noise-only spike";
            x.spikes.add(new Spike(35, 0.3, 1)); x.spikes.add(new Spike(36, 0, 5));
            x.spikes.add(new Spike(55, 0, 6)); x.spikes.add(new Spike(56, 0.25, 1));
        }));
        s.add(new Spec("spike-04.csv", "spike", seed++).with(x -> {
            x.note = "spikes during the rise";
            x.tau = 12; x.spikes.add(new Spike(9, 0.2, 4)); x.spikes.add(new Spike(16, 0.3, 3));
        }));
        s.add(new Spec("spike-05.csv", "spike", seed++).with(x -> {
            x.note = "spikes next to missing points, noise x10";
            x.scale = 10; x.missing = 0.1;
            x.spikes.add(new Spike(30, 0.3, 5)); x.spikes.add(new Spike(50, 0.35, 4)); x.spikes.add(new Spike(65, 0.2, 3));
        }));

        // Slow drifts: fidelity slowly down and/or noise slowly up; no dip.
        s.add(new Spec("drift-01.csv", "drift", seed++).with(x -> {
            x.note = "fidelity -0.15 and noise x1.6 over the second half";
            x.driftFrom = 40; x.fidelityDrift = 0.15; x.noiseDrift = 0.6; x.points = 100;
        }));
        s.add(new Spec("drift-02.csv", "drift", seed++).with(x -> {
            x.note = "noise x2 over the last 60 points, fidelity flat";
            x.driftFrom = 30; x.noiseDrift = 1.0; x.points = 90;
        }));
        s.add(new Spec("drift-03.csv", "drift", seed++).with(x -> {
            x.note = "fidelity -0.25 over the last 60 points, noise flat";
            x.driftFrom = 30; x.fidelityDrift = 0.25; x.points = 90;
        }));
        s.add(new Spec("drift-04.csv", "drift", seed++).with(x -> {
            x.note = "fidelity -0.2 and noise x2.2 over the last 70 points, noise x0.1";
            x.driftFrom = 30; x.fidelityDrift = 0.2; x.noiseDrift = 1.2; x.points = 100; x.scale = 0.1;
        }));

        // One signal only: not the corruption stage (needs both).
        s.add(new Spec("noise-bump-01.csv", "noise-bump", seed++).with(x -> {
            x.note = "noise x3.5 for 6 points, fidelity unchanged";
            x.noiseOnly.add(new Dip(40, 1, 4, 1, 0, 2.5));
        }));
        s.add(new Spec("noise-bump-02.csv", "noise-bump", seed++).with(x -> {
            x.note = "noise x2.5 for 10 points on a x0.1 scale, fidelity unchanged";
            x.noiseOnly.add(new Dip(30, 2, 6, 2, 0, 1.5)); x.scale = 0.1;
        }));
        s.add(new Spec("fidelity-only-dip-01.csv", "fidelity-only-dip", seed++).with(x -> {
            x.note = "fidelity -0.2 for 6 points (blur, not speckle), noise unchanged";
            x.fidelityOnly.add(new Dip(40, 1, 4, 1, 0.2, 0));
        }));
        s.add(new Spec("fidelity-only-dip-02.csv", "fidelity-only-dip", seed++).with(x -> {
            x.note = "fidelity -0.3 for 9 points, noise unchanged";
            x.fidelityOnly.add(new Dip(35, 2, 5, 2, 0.3, 0));
        }));

        // Corruption dips: depths 0.08-0.45, 3-14 points long, early to late, noise x2-x5.
        Object[][] dips = {
                // onset, down, hold, up, depth, noise rise, fidelity noise, eval every, overfit after
                {20, 1, 3, 2, 0.25, 2.0, 0.010, 10L, true},
                {35, 2, 4, 2, 0.15, 1.5, 0.008, 10L, true},
                {50, 1, 2, 1, 0.10, 1.0, 0.006, 20L, false},
                {15, 2, 8, 3, 0.40, 3.0, 0.015, 10L, true},
                {60, 1, 1, 1, 0.12, 1.2, 0.005, 5L, false},
                {30, 2, 6, 4, 0.30, 4.0, 0.020, 25L, true},
                {45, 1, 5, 2, 0.08, 1.0, 0.004, 10L, false},
                {25, 2, 2, 2, 0.20, 2.0, 0.012, 20L, true},
                {40, 1, 10, 3, 0.45, 2.5, 0.010, 10L, true},
                {55, 2, 3, 1, 0.18, 1.5, 0.010, 10L, false},
        };
        for (int i = 0; i < dips.length; i++) {
            Object[] d = dips[i];
            Dip dip = new Dip((int) d[0], (int) d[1], (int) d[2], (int) d[3], (double) d[4], (double) d[5]);
            String name = String.format(Locale.ROOT, "dip-%02d.csv", i + 1);
            s.add(new Spec(name, "dip", seed++).with(x -> {
                x.dips.add(dip);
                x.fidelityNoise = (double) d[6];
                x.evalEvery = (long) d[7];
                x.overfitAt = (boolean) d[8] ? dip.endIndex() + 3 : -1;
                x.note = String.format(Locale.ROOT, "dip of %.2f for %d points, noise x%.1f%s", dip.depth(),
                        dip.endIndex() - dip.onset(), 1 + dip.noiseRise(), x.overfitAt >= 0 ? ", then over-fitting" : "");
                x.columns = x.overfitAt >= 0 ? FULL : MINIMAL;
            }));
        }
        s.add(new Spec("dip-rising-01.csv", "dip-rising", seed++).with(x -> {
            x.note = "dip of 0.15 while fidelity is still rising";
            x.tau = 20; x.dips.add(new Dip(14, 1, 3, 2, 0.15, 2.0));
        }));
        s.add(new Spec("dip-rising-02.csv", "dip-rising", seed++).with(x -> {
            x.note = "dip of 0.2 while fidelity is still rising, noisy";
            x.tau = 25; x.fidelityNoise = 0.015; x.dips.add(new Dip(18, 2, 3, 2, 0.2, 1.5));
        }));
        s.add(new Spec("dip-plateau-01.csv", "dip-plateau", seed++).with(x -> {
            x.note = "long plateau, then a late dip";
            x.points = 120; x.dips.add(new Dip(95, 1, 4, 2, 0.2, 2.0));
        }));
        s.add(new Spec("dip-plateau-02.csv", "dip-plateau", seed++).with(x -> {
            x.note = "long plateau, then a shallow late dip";
            x.points = 120; x.fidelityNoise = 0.005; x.dips.add(new Dip(100, 2, 3, 2, 0.1, 1.2));
        }));
        // Harder dips: slow onset, two points only, shallow, noise lagging, noisy fidelity, small noise rise.
        s.add(new Spec("dip-hard-01.csv", "dip-hard", seed++).with(x -> {
            x.note = "slow onset: fidelity and noise reach the full dip over 4 points";
            x.dips.add(new Dip(40, 4, 3, 3, 0.2, 1.0));
        }));
        s.add(new Spec("dip-hard-02.csv", "dip-hard", seed++).with(x -> {
            x.note = "a dip of exactly two points (the shortest the 2-point confirmation can see)";
            x.evalEvery = 5; x.dips.add(new Dip(50, 1, 1, 0, 0.2, 2.0));
        }));
        s.add(new Spec("dip-hard-03.csv", "dip-hard", seed++).with(x -> {
            x.note = "shallow: 0.07 deep with fidelity noise 0.01, noise x1.6";
            x.fidelityNoise = 0.01; x.dips.add(new Dip(45, 1, 4, 1, 0.07, 0.6));
        }));
        s.add(new Spec("dip-hard-04.csv", "dip-hard", seed++).with(x -> {
            x.note = "the noise rise lags fidelity's drop by 2 points";
            x.dips.add(new Dip(40, 1, 5, 2, 0.25, 2.0, 2));
        }));
        s.add(new Spec("dip-hard-05.csv", "dip-hard", seed++).with(x -> {
            x.note = "very noisy fidelity (0.03) and noise metric (jitter 0.15), dip of 0.2";
            x.fidelityNoise = 0.03; x.noiseJitter = 0.15; x.dips.add(new Dip(45, 1, 5, 2, 0.2, 2.0));
        }));
        s.add(new Spec("dip-hard-06.csv", "dip-hard", seed++).with(x -> {
            x.note = "noise rises only x1.45 (threshold x1.3), dip of 0.15";
            x.dips.add(new Dip(40, 1, 5, 2, 0.15, 0.45));
        }));
        s.add(new Spec("clean-noisy-01.csv", "clean-noisy", seed++).with(x -> {
            x.note = "clean, very noisy fidelity (0.03) and noise metric (jitter 0.15)";
            x.fidelityNoise = 0.03; x.noiseJitter = 0.15; x.points = 120;
        }));
        s.add(new Spec("clean-noisy-02.csv", "clean-noisy", seed++).with(x -> {
            x.note = "clean, noisy, over-fitting, 5-step evals";
            x.fidelityNoise = 0.025; x.noiseJitter = 0.12; x.points = 120; x.evalEvery = 5; x.overfitAt = 50;
        }));
        s.add(new Spec("multi-dip-01.csv", "multi-dip", seed++).with(x -> {
            x.note = "two dips";
            x.points = 110; x.dips.add(new Dip(25, 1, 4, 2, 0.25, 2.0)); x.dips.add(new Dip(70, 2, 3, 2, 0.2, 1.5));
        }));
        s.add(new Spec("multi-dip-02.csv", "multi-dip", seed++).with(x -> {
            x.note = "a shallow dip then a deep one, then over-fitting";
            x.points = 110; x.dips.add(new Dip(30, 1, 2, 1, 0.12, 1.2)); x.dips.add(new Dip(60, 2, 6, 3, 0.35, 3.0));
            x.overfitAt = 75;
        }));
        s.add(new Spec("dip-spike-01.csv", "dip-spike", seed++).with(x -> {
            x.note = "a dip and two spikes elsewhere";
            x.dips.add(new Dip(45, 1, 4, 2, 0.2, 2.0)); x.spikes.add(new Spike(25, 0.3, 4)); x.spikes.add(new Spike(65, 0.3, 4));
        }));
        s.add(new Spec("dip-spike-02.csv", "dip-spike", seed++).with(x -> {
            x.note = "a spike three points before a dip";
            x.dips.add(new Dip(40, 2, 3, 2, 0.25, 2.5)); x.spikes.add(new Spike(37, 0.35, 5));
        }));

        // Early stops: the trace ends inside a dip (an open window).
        s.add(new Spec("early-stop-01.csv", "early-stop", seed++).with(x -> {
            x.note = "stops 4 points into a dip";
            x.points = 54; x.dips.add(new Dip(50, 1, 20, 2, 0.3, 2.5));
        }));
        s.add(new Spec("early-stop-02.csv", "early-stop", seed++).with(x -> {
            x.note = "stops 2 points into a dip";
            x.points = 42; x.dips.add(new Dip(40, 1, 20, 2, 0.25, 2.0));
        }));
        s.add(new Spec("early-stop-03.csv", "early-stop", seed++).with(x -> {
            x.note = "stops 8 points into a dip that still deepens";
            x.points = 68; x.dips.add(new Dip(60, 2, 20, 2, 0.35, 3.0)); x.evalEvery = 20;
        }));

        // Missing cells and rows (10-20% of points outside dips; one blank fidelity inside a dip).
        s.add(new Spec("missing-01.csv", "missing", seed++).with(x -> {
            x.note = "10% missing, a dip";
            x.missing = 0.1; x.dips.add(new Dip(40, 1, 3, 2, 0.2, 2.0));
        }));
        s.add(new Spec("missing-02.csv", "missing", seed++).with(x -> {
            x.note = "20% missing, a dip with a blank fidelity cell inside";
            x.missing = 0.2; x.dips.add(new Dip(35, 1, 5, 2, 0.25, 2.0)); x.blankFidelity.add(37);
        }));
        s.add(new Spec("missing-03.csv", "missing", seed++).with(x -> {
            x.note = "15% missing, two dips";
            x.missing = 0.15; x.points = 100; x.dips.add(new Dip(30, 2, 3, 2, 0.2, 1.5)); x.dips.add(new Dip(70, 1, 4, 2, 0.3, 2.5));
        }));
        s.add(new Spec("missing-04.csv", "missing", seed++).with(x -> {
            x.note = "15% missing, clean with over-fitting";
            x.missing = 0.15; x.overfitAt = 35;
        }));
        s.add(new Spec("missing-05.csv", "missing", seed++).with(x -> {
            x.note = "20% missing, clean plateau, only the required columns";
            x.missing = 0.2; x.columns = MINIMAL;
        }));

        // The noise metric on other absolute scales.
        s.add(new Spec("scale-x0.1-01.csv", "scale-x0.1", seed++).with(x -> {
            x.note = "noise x0.1, a dip";
            x.scale = 0.1; x.dips.add(new Dip(40, 1, 4, 2, 0.2, 2.0));
        }));
        s.add(new Spec("scale-x0.1-02.csv", "scale-x0.1-clean", seed++).with(x -> {
            x.note = "noise x0.1, clean with a spike";
            x.scale = 0.1; x.spikes.add(new Spike(45, 0.3, 4));
        }));
        s.add(new Spec("scale-x10-01.csv", "scale-x10", seed++).with(x -> {
            x.note = "noise x10, a dip";
            x.scale = 10; x.dips.add(new Dip(35, 2, 4, 2, 0.25, 2.5));
        }));
        s.add(new Spec("scale-x10-02.csv", "scale-x10-clean", seed++).with(x -> {
            x.note = "noise x10, clean with a spike and over-fitting";
            x.scale = 10; x.spikes.add(new Spike(30, 0.3, 4)); x.overfitAt = 40;
        }));
        return s;
    }

    // ---------------------------------------------------------------------------------------------

    static Trace generate(Spec x) {
        Random rnd = new Random(x.seed);
        // The base curve's values vary a little around the spec, deterministically.
        double f0 = x.f0 + 0.05 * (rnd.nextDouble() - 0.5);
        double plateau = x.plateau + 0.03 * (rnd.nextDouble() - 0.5);
        double noiseLevel = x.noiseLevel * (0.6 + 0.8 * rnd.nextDouble());
        double memorization0 = 0.14 + 0.04 * rnd.nextDouble();
        double sigma10 = 1.5 + rnd.nextDouble();
        double diversity0 = 0.22 + 0.06 * rnd.nextDouble();

        List<String> columns = x.columns;
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (int i = 0; i < x.points; i++) {
            long step = (i + 1) * x.evalEvery;
            double over = x.overfitAt >= 0 && i > x.overfitAt ? 1 - StrictMath.exp(-(i - x.overfitAt) / x.overfitTau) : 0;
            double drift = x.driftFrom >= 0 && i > x.driftFrom ? (double) (i - x.driftFrom) / (x.points - x.driftFrom) : 0;
            double dip = 0;
            double noiseDip = 0;
            for (Dip d : x.dips) {
                double sh = d.shape(i);
                dip = Math.max(dip, d.depth() * sh);
                noiseDip = Math.max(noiseDip, d.noiseRise() * d.noiseShape(i));
            }
            for (Dip d : x.noiseOnly) {
                noiseDip = Math.max(noiseDip, d.noiseRise() * d.shape(i));
            }
            for (Dip d : x.fidelityOnly) {
                dip = Math.max(dip, d.depth() * d.shape(i));
            }
            double spikeDrop = 0;
            double spikeNoise = 1;
            for (Spike sp : x.spikes) {
                if (sp.index() == i) {
                    spikeDrop = sp.drop();
                    spikeNoise = sp.noiseFactor();
                }
            }
            double speckle = i < x.earlySpeckle ? x.earlySpeckleFactor * (1 - 0.25 * i) : 1;
            double corrupt = Math.min(1, noiseDip / 2);

            double clean = f0 + (plateau - f0) * (1 - StrictMath.exp(-i / x.tau));
            clean += (0.96 - clean) * over;
            clean -= x.fidelityDrift * drift;
            if (i < x.earlySpeckle) {
                clean -= 0.05;
            }
            double fidelity = clamp(clean - dip - spikeDrop + x.fidelityNoise * rnd.nextGaussian(), -1, 1);
            double noise = x.scale * noiseLevel * Math.max(1, speckle) * (1 + x.noiseDrift * drift) * (1 + noiseDip)
                    * spikeNoise * StrictMath.exp(x.noiseJitter * rnd.nextGaussian());
            double memorization = memorization0 * (1 - 0.9 * over) * (1 + 0.5 * corrupt)
                    * StrictMath.exp(0.03 * rnd.nextGaussian());
            double sigma1 = sigma10 * (1 - 0.88 * over) * StrictMath.exp(0.04 * rnd.nextGaussian());
            double diversity = diversity0 * (1 - 0.5 * over) * (1 + 0.4 * corrupt) * StrictMath.exp(0.03 * rnd.nextGaussian());
            double loss = (0.03 + 0.04 * StrictMath.exp(-i / 20.0)) * (1 + 0.5 * corrupt) * StrictMath.exp(0.08 * rnd.nextGaussian());

            // Missing data: never on a dip's points (except the chosen blank cells), so every
            // labelled dip keeps the points that make it visible.
            final int index = i;
            boolean inEvent = x.dips.stream().anyMatch(d -> d.shape(index) > 0 || d.noiseShape(index) > 0);
            double u = rnd.nextDouble();
            int kind = rnd.nextInt(4);
            boolean fidelityMissing = x.blankFidelity.contains(i);
            boolean noiseMissing = false;
            if (!inEvent && u < x.missing) {
                if (kind == 3) {
                    continue; // the whole row is absent
                }
                fidelityMissing |= kind == 0 || kind == 2;
                noiseMissing = kind == 1 || kind == 2;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("step", Long.toString(step));
            cells.put("fidelity", fidelityMissing ? "" : format(fidelity));
            cells.put("noise", noiseMissing ? "" : format(noise));
            cells.put("diversity", format(diversity));
            cells.put("memorization", format(memorization));
            cells.put("sigma1", format(sigma1));
            cells.put("loss", format(loss));
            cells.put("kl", format(12.5 * StrictMath.exp(-i / 50.0)));
            List<String> row = new ArrayList<>();
            for (String c : columns) {
                row.add(cells.get(c));
            }
            csv.append(String.join(",", row)).append('\n');
        }

        List<TraceLabels.LabelledWindow> windows = new ArrayList<>();
        for (Dip d : x.dips) {
            long onset = (d.onset() + 1) * x.evalEvery;
            Long end = d.endIndex() < x.points ? (d.endIndex() + 1) * x.evalEvery : null;
            windows.add(new TraceLabels.LabelledWindow(onset, end));
        }
        return new Trace(x.file, x.kind, x.note, csv.toString(), windows);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Five significant digits, plain notation. */
    static String format(double v) {
        return new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros().toPlainString();
    }
}
