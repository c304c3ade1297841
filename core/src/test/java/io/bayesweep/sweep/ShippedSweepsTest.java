package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The example sweeps under the repository's sweeps/ folder must stay valid as the rules change. */
class ShippedSweepsTest {
    /** Maven runs tests in the module's folder; the examples live beside it. */
    private static final Path SWEEPS = Path.of("../sweeps");

    @Test
    void everyShippedSweepParsesAndExpands() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(SWEEPS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("kl-weight.yaml", "prior-std.yaml", "bayesian-layers.yaml", "smoke.yaml");
        for (Path file : files) {
            List<Map<String, Object>> trials = expand(file);
            assertThat(trials).as(file.toString()).isNotEmpty();
            trials.forEach(TrainingParameters::resolve);
        }
    }

    @Test
    void theExamplesSweepWhatTheyClaim() throws Exception {
        assertThat(expand(SWEEPS.resolve("kl-weight.yaml"))).extracting(t -> t.get("kl_weight"))
                .containsExactly(0.0, 0.01, 0.1, 1.0);
        assertThat(expand(SWEEPS.resolve("bayesian-layers.yaml"))).extracting(t -> t.get("bayesian_layers"))
                .containsExactly("none", List.of("conv"), List.of("attn"), List.of("norm"), List.of("conv", "attn"),
                        List.of("time", "emb"));
        List<Map<String, Object>> smoke = expand(SWEEPS.resolve("smoke.yaml"));
        assertThat(smoke).hasSize(2);
        assertThat(TrainingParameters.resolve(smoke.get(0))).containsEntry("steps", 6).containsEntry("eval_every", 3)
                .containsEntry("batch_size", 2);
        assertThat(expand(SWEEPS.resolve("prior-std.yaml"))).hasSizeGreaterThan(1);
    }

    private static List<Map<String, Object>> expand(Path file) throws IOException, SweepValidationException {
        try {
            return SweepExpander.expand(SweepParser.parse(Files.readString(file)), 0);
        } catch (SweepValidationException e) {
            throw new AssertionError(file + " is invalid:\n" + e.getMessage(), e);
        }
    }
}
