package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/sweeps.md mirrors the catalog; this keeps it from drifting when a parameter is added. */
class SweepDocsTest {
    @Test
    void everyTrainingParameterHasARowInTheDocs() throws Exception {
        String docs = Files.readString(Path.of("../docs/sweeps.md"));
        for (ParameterInfo info : TrainingParameters.all()) {
            assertThat(docs).as(info.name()).contains("| `" + info.name() + "` | ");
        }
        for (String distribution : DistributionKind.names()) {
            assertThat(docs).as(distribution).contains(distribution);
        }
    }
}
