package io.bayesweep.orchestrator.testing;

import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.TraceCsv;
import io.bayesweep.messages.StepMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Eval-point traces for the detector tests: copies of core's labelled synthetic traces under
 * {@code src/test/resources/traces/} (dip-01.csv: one window 210-270; clean-plateau-01.csv: none).
 */
public final class Traces {
    private Traces() {
    }

    public static List<EvalPoint> read(String name) {
        try (InputStream in = Traces.class.getResourceAsStream("/traces/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test trace " + name);
            }
            return TraceCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The point as a worker would report it: the metrics it has, a missing (NaN) one left out. */
    public static StepMetrics stepMetrics(String sweepId, String trialId, int attempt, EvalPoint p, long totalSteps) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "loss", p.loss());
        put(m, "fidelity", p.fidelity());
        put(m, "noise", p.noise());
        put(m, "diversity", p.diversity());
        put(m, "memorization", p.memorization());
        put(m, "sigma1", p.sigma1());
        m.put("kl", 0.0); // a metric the detector does not read
        return StepMetrics.of(sweepId, trialId, attempt, p.step(), totalSteps, "test-worker", m);
    }

    private static void put(Map<String, Double> m, String name, double value) {
        if (Double.isFinite(value)) {
            m.put(name, value);
        }
    }
}
