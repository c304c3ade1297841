package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bayesweep.model.nn.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFileTest {
    @Test
    void roundTripsAndDetectsTruncation(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.bsw");
        TensorFile.write(f, Map.of("step", "3"), Map.of("a", new TensorFile.Tensor(new long[] {2, 2},
                new float[] {1, 2, 3, 4.5f})));
        TensorFile.Contents c = TensorFile.read(f);
        assertThat(c.meta()).containsEntry("step", "3");
        assertThat(c.tensors().get("a").data()).containsExactly(1, 2, 3, 4.5f);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> TensorFile.read(f)).isInstanceOf(TensorFile.CorruptFileException.class)
                .hasMessageContaining("truncated or corrupt");
    }
}
