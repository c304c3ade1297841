package io.bayesweep.detect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed synthetic traces are exactly what {@link SyntheticTraces} generates. Regenerate them with
 * {@code ./mvnw -q -pl core test -Dtest=SyntheticTracesTest -Dbayesweep.regenerateTraces=true}.
 */
class SyntheticTracesTest {
    static final Path DIR = Path.of(SyntheticTraces.DIR);

    @Test
    void committedTracesAreWhatTheGeneratorWrites() throws IOException {
        if (Boolean.getBoolean("bayesweep.regenerateTraces")) {
            try (Stream<Path> old = Files.list(DIR.toFile().exists() ? DIR : Files.createDirectories(DIR))) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            SyntheticTraces.write(DIR);
        }
        Map<String, String> expected = SyntheticTraces.files();
        Set<String> committed;
        try (Stream<Path> files = Files.list(DIR)) {
            committed = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(committed).as("files in " + DIR).isEqualTo(expected.keySet());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(Files.readString(DIR.resolve(file.getKey()), StandardCharsets.UTF_8))
                    .as(file.getKey() + " differs from the generator's output; regenerate (see SyntheticTraces)")
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void theSetCoversWhatTheDetectorMustHandle() throws IOException {
        var traces = TraceLabels.read(DIR);
        assertThat(traces).hasSizeGreaterThanOrEqualTo(40);
        Set<String> kinds = traces.stream().map(TraceLabels.LabelledTrace::kind).collect(Collectors.toSet());
        assertThat(kinds).contains("clean-plateau", "clean-overfit", "spike", "drift", "dip", "multi-dip", "early-stop",
                "missing", "scale-x0.1", "scale-x10");
        assertThat(traces.stream().filter(t -> t.kind().equals("early-stop")))
                .allSatisfy(t -> assertThat(t.windows()).singleElement().satisfies(w -> assertThat(w.end()).isNull()));
    }

    @Test
    void theGeneratorIsDeterministic() throws IOException {
        assertThat(SyntheticTraces.files()).isEqualTo(SyntheticTraces.files());
    }
}
