package io.bayesweep.detect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beyond the committed set: traces drawn from the same generator with random parameters (fixed
 * seeds, so still deterministic): 300 of each kind by default, more with
 * {@code -Dbayesweep.randomTraces=N}. Clean runs with spikes (down and up), drifts, missing data,
 * early speckle and noise scales from x0.01 to x100 must (almost) never alarm; clearly visible dips
 * must be found.
 */
class RandomizedTracesTest {
    static final int TRACES = Integer.getInteger("bayesweep.randomTraces", 300);

    @Test
    void randomCleanTracesWithSpikesNeverAlarm() throws IOException {
        Random rnd = new Random(7);
        List<String> alarms = new ArrayList<>();
        for (int n = 0; n < TRACES; n++) {
            SyntheticTraces.Spec x = base("clean-" + n, rnd);
            int spikes = rnd.nextInt(4);
            int at = 8 + rnd.nextInt(6);
            for (int k = 0; k < spikes && at < x.points; k++) {
                // mostly bad evals (fidelity down, noise up); one in four an upward fidelity outlier
                boolean up = rnd.nextInt(4) == 0;
                x.spikes.add(new SyntheticTraces.Spike(at, up ? -0.05 - 0.1 * rnd.nextDouble() : 0.1 + 0.4 * rnd.nextDouble(),
                        up ? 1 : 1.5 + 5 * rnd.nextDouble()));
                at += 3 + rnd.nextInt(20);
            }
            if (rnd.nextInt(3) == 0) {
                x.driftFrom = x.points / 3;
                x.fidelityDrift = 0.25 * rnd.nextDouble();
                x.noiseDrift = rnd.nextDouble();
            }
            List<CorruptionWindow> windows = detect(x);
            if (!windows.isEmpty()) {
                alarms.add(x.file + " " + windows);
            }
        }
        System.out.println("random clean traces: " + alarms.size() + " of " + TRACES + " alarmed " + alarms);
        assertThat((double) alarms.size() / TRACES).as("share of clean traces with an alarm: " + alarms)
                .isLessThanOrEqualTo(0.005);
    }

    @Test
    void randomVisibleDipsAreFoundEarly() throws IOException {
        Random rnd = new Random(11);
        int found = 0;
        List<Double> delays = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        for (int n = 0; n < TRACES; n++) {
            SyntheticTraces.Spec x = base("dip-" + n, rnd);
            int onset = 12 + rnd.nextInt(x.points - 30);
            // visible: at least two points at full depth, depth >= 0.08 and >= 5 fidelity sigmas, noise >= x1.6
            double depth = Math.max(0.08, 5 * x.fidelityNoise) + 0.3 * rnd.nextDouble();
            int down = 1 + rnd.nextInt(2);
            SyntheticTraces.Dip dip = new SyntheticTraces.Dip(onset, down, 2 - down + 1 + rnd.nextInt(6),
                    rnd.nextInt(4), depth, 0.6 + 3 * rnd.nextDouble());
            x.dips.add(dip);
            List<CorruptionWindow> windows = detect(x);
            long labelledOnset = (onset + 1) * x.evalEvery;
            long labelledEnd = (dip.endIndex() + 1) * x.evalEvery;
            CorruptionWindow hit = windows.stream()
                    .filter(w -> w.onset() < labelledEnd && labelledOnset < (w.end() == null ? Long.MAX_VALUE : w.end()))
                    .findFirst().orElse(null);
            if (hit == null) {
                misses.add(x.file + " " + dip + " sigma " + x.fidelityNoise);
            } else {
                found++;
                delays.add((double) (hit.onset() - labelledOnset) / x.evalEvery);
            }
        }
        delays.sort(null);
        System.out.printf("random dips: found %d/%d, onset delay median %.1f, max %.1f eval steps; missed %s%n",
                found, TRACES, delays.get(delays.size() / 2), delays.get(delays.size() - 1), misses);
        assertThat((double) found / TRACES).as("recall; missed: " + misses).isGreaterThanOrEqualTo(0.95);
        assertThat(delays.get(delays.size() / 2)).as("median onset delay").isLessThanOrEqualTo(1.0);
    }

    private static SyntheticTraces.Spec base(String name, Random rnd) {
        SyntheticTraces.Spec x = new SyntheticTraces.Spec(name + ".csv", "random", rnd.nextLong());
        x.points = 50 + rnd.nextInt(80);
        x.evalEvery = new long[] {5, 10, 20, 25}[rnd.nextInt(4)];
        x.f0 = 0.2 + 0.3 * rnd.nextDouble();
        x.plateau = x.f0 + 0.2 + 0.3 * rnd.nextDouble();
        x.tau = 2 + 15 * rnd.nextDouble();
        x.fidelityNoise = 0.002 + 0.025 * rnd.nextDouble();
        x.noiseJitter = 0.02 + 0.12 * rnd.nextDouble();
        x.scale = StrictMath.pow(10, -2 + 4 * rnd.nextDouble());
        x.missing = rnd.nextInt(3) == 0 ? 0.2 * rnd.nextDouble() : 0;
        x.overfitAt = rnd.nextInt(3) == 0 ? x.points / 2 : -1;
        x.earlySpeckle = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0;
        return x;
    }

    private static List<CorruptionWindow> detect(SyntheticTraces.Spec x) throws IOException {
        SyntheticTraces.Trace trace = SyntheticTraces.generate(x);
        List<EvalPoint> points = TraceCsv.read(new StringReader(trace.csv()), trace.file());
        List<Verdict> verdicts = CorruptionDetector.replay(points, DetectorParams.V1);
        return verdicts.isEmpty() ? List.of() : verdicts.get(verdicts.size() - 1).windows();
    }
}
