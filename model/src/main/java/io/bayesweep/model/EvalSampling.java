package io.bayesweep.model;

import java.util.List;

/**
 * How a trial's eval samples are drawn. The default, 20-step DDIM with the x0 estimate clamped to [-1, 1],
 * gives clean samples from a good model but may soften "image + noise" samples, and the corruption stage is
 * exactly such samples; ancestral sampling (stochastic, no clamping) and unclamped DDIM are there to compare
 * with. Prior-preservation images are always drawn with the default.
 *
 * @param sampler {@code ddim} (x0 clamped), {@code ddim-noclip} or {@code ancestral}
 * @param steps   sampling steps, 1..{@link io.bayesweep.model.nn.Diffusion#T}
 */
public record EvalSampling(String sampler, int steps) {
    public static final List<String> SAMPLERS = List.of("ddim", "ddim-noclip", "ancestral");
    public static final EvalSampling DEFAULT = new EvalSampling("ddim", FineTuner.DDIM_STEPS);
    /** Steps of ancestral sampling when none are given: DDPM's 1,000 would make every eval 10x dearer. */
    public static final int ANCESTRAL_STEPS = 100;

    public EvalSampling {
        if (!SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("eval sampler must be one of " + SAMPLERS + ", got '" + sampler + "'");
        }
        if (steps < 1 || steps > io.bayesweep.model.nn.Diffusion.T) {
            throw new IllegalArgumentException("eval sampling steps must be 1.." + io.bayesweep.model.nn.Diffusion.T
                    + ", got " + steps);
        }
    }

    /**
     * Parses {@code ddim}, {@code ddim-noclip}, {@code ancestral} or any of them with {@code :STEPS}
     * ({@code ancestral:250}). DDIM defaults to {@link FineTuner#DDIM_STEPS} steps, ancestral to
     * {@link #ANCESTRAL_STEPS}.
     */
    public static EvalSampling parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String sampler = colon < 0 ? t : t.substring(0, colon);
        int steps;
        if (colon < 0) {
            steps = defaultSteps(sampler);
        } else {
            try {
                steps = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("eval sampling steps must be an integer, got '"
                        + t.substring(colon + 1) + "' in '" + text + "'");
            }
        }
        return new EvalSampling(sampler, steps);
    }

    /** The text {@link #parse} reads back: {@code ddim}, {@code ancestral:250}. */
    @Override
    public String toString() {
        return steps == defaultSteps(sampler) ? sampler : sampler + ":" + steps;
    }

    private static int defaultSteps(String sampler) {
        return sampler.equals("ancestral") ? ANCESTRAL_STEPS : FineTuner.DDIM_STEPS;
    }
}
