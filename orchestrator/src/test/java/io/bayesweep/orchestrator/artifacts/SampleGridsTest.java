package io.bayesweep.orchestrator.artifacts;

import io.bayesweep.worker.DirectoryArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleGridsTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatTheWorkersStoreWritesWhateverTheStepsSize() throws Exception {
        Path root = dir.resolve("artifacts");
        DirectoryArtifactStore worker = new DirectoryArtifactStore(root);
        worker.writeSampleGrid("sw-1-t000", 1_234_567, bytes("big"));
        worker.writeSampleGrid("sw-1-t000", 20, bytes("twenty"));
        worker.writeSampleGrid("sw-1-t000", 0, bytes("zero"));
        SampleGrids grids = new SampleGrids(root);

        assertThat(grids.steps("sw-1-t000")).containsExactly(0L, 20L, 1_234_567L);
        assertThat(grids.latestStep("sw-1-t000")).isEqualTo(OptionalLong.of(1_234_567));
        assertThat(grids.read("sw-1-t000", 20)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("twenty")));
        assertThat(grids.read("sw-1-t000", 21)).isEmpty();
        assertThat(grids.steps("sw-1-t001")).isEmpty();
        assertThat(grids.latestStep("sw-1-t001")).isEmpty();
    }

    @Test
    void onlyTheWorkersCompleteFilesAreGrids() throws Exception {
        Path samples = Files.createDirectories(dir.resolve("t/samples"));
        Files.write(samples.resolve("step-000003.png"), bytes("3"));
        Files.write(samples.resolve("step-000006.png.tmp"), bytes("half"));
        Files.write(samples.resolve("step-0000009.png"), bytes("not the worker's spelling"));
        Files.write(samples.resolve("step-12.png"), bytes("nor this"));
        Files.createDirectories(samples.resolve("step-000015.png"));
        Path outside = Files.write(dir.resolve("outside.png"), bytes("secret"));
        Files.createSymbolicLink(samples.resolve("step-000018.png"), outside);
        SampleGrids grids = new SampleGrids(dir);

        assertThat(grids.steps("t")).containsExactly(3L);
        assertThat(grids.read("t", 6)).isEmpty();
        assertThat(grids.read("t", 15)).isEmpty();
        assertThat(grids.read("t", 18)).isEmpty();
    }

    @Test
    void aTrialIdThatIsNotASafeFolderNameReachesNothing() throws Exception {
        Files.write(Files.createDirectories(dir.resolve("samples")).resolve("step-000003.png"), bytes("root"));
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        SampleGrids grids = new SampleGrids(artifacts);

        for (String id : new String[] {"..", "../", "..%2F", ".hidden", "a/b", "/abs", "", "x".repeat(129)}) {
            assertThat(grids.steps(id)).as(id).isEmpty();
            assertThat(grids.read(id, 3)).as(id).isEmpty();
            assertThat(grids.latestStep(id)).as(id).isEmpty();
        }
        assertThat(grids.read("t", -1)).isEmpty();
    }

    @Test
    void aMissingArtifactsDirectoryIsUnavailableWithItsPath() {
        SampleGrids grids = new SampleGrids(dir.resolve("nowhere"));

        assertThat(grids.available()).isFalse();
        assertThat(grids.latestStep("t")).isEmpty();
        assertThatThrownBy(() -> grids.steps("t")).isInstanceOf(ArtifactsUnavailableException.class)
                .hasMessageContaining(dir.resolve("nowhere").toString())
                .hasMessageContaining("BAYESWEEP_ARTIFACTS_DIR");
        assertThatThrownBy(() -> grids.read("t", 3)).isInstanceOf(ArtifactsUnavailableException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
