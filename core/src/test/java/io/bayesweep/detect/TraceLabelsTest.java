package io.bayesweep.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceLabelsTest {
    @TempDir
    Path dir;

    @Test
    void readsKindsAndWindowsOpenOrClosed() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "step,fidelity,noise\n");
        Files.writeString(dir.resolve("b.csv"), "step,fidelity,noise\n");
        Files.writeString(dir.resolve("labels.json"), """
                {"description": "x", "traces": {
                  "a.csv": {"kind": "dip", "note": "n", "windows": [{"onset": 100, "end": 150}, {"onset": 300, "end": null}]},
                  "b.csv": {"kind": "clean", "windows": []}}}
                """);

        var traces = TraceLabels.read(dir);

        assertThat(traces).extracting(TraceLabels.LabelledTrace::file).containsExactly("a.csv", "b.csv");
        assertThat(traces.get(0).windows()).containsExactly(new TraceLabels.LabelledWindow(100, 150L),
                new TraceLabels.LabelledWindow(300, null));
        assertThat(traces.get(1).kind()).isEqualTo("clean");
    }

    @Test
    void problemsAreNamed() throws IOException {
        assertThatThrownBy(() -> TraceLabels.read(dir)).hasMessageContaining("labels.json").hasMessageContaining("no such file");

        Files.writeString(dir.resolve("labels.json"), "{\"traces\": {\"gone.csv\": {\"windows\": []}}}");
        assertThatThrownBy(() -> TraceLabels.read(dir)).hasMessageContaining("traces.gone.csv: no such file");

        Files.writeString(dir.resolve("a.csv"), "step,fidelity,noise\n");
        Files.writeString(dir.resolve("labels.json"), "{\"traces\": {\"a.csv\": {\"windows\": [{\"onset\": 10, \"end\": 5}]}}}");
        assertThatThrownBy(() -> TraceLabels.read(dir)).hasMessageContaining("end must be after its onset");

        Files.writeString(dir.resolve("labels.json"), "{\"traces\": [");
        assertThatThrownBy(() -> TraceLabels.read(dir)).hasMessageContaining("not JSON");
    }
}
