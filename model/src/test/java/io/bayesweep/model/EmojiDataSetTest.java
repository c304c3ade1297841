package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bayesweep.model.emoji.EmojiDataSet;
import io.bayesweep.model.emoji.EmojiDataSet.Concept;
import io.bayesweep.model.emoji.EmojiDataSet.Vendor;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.emoji.PretrainingSet;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.metrics.ImageMetrics;
import io.bayesweep.model.nn.TensorFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiDataSetTest {
    private static final List<String> FILES = List.of("concepts.tsv", "noto-32.png", "twemoji-32.png", "SHA256SUMS");

    @Test
    void holdsEveryBaseEmojiOfBothVendors() {
        EmojiDataSet d = EmojiDataSet.bundled();
        assertThat(d.concepts()).hasSizeGreaterThan(1800);
        assertThat(d.concepts().stream().map(Concept::category).collect(Collectors.toSet()))
                .contains("Smileys & Emotion", "Animals & Nature", "Flags").doesNotContain("Component");
        assertThat(d.concepts().stream().map(Concept::shortName)).doesNotHaveDuplicates();
        Concept dog = d.concept("dog");
        assertThat(dog.subcategory()).isEqualTo("animal-mammal");
        assertThat(d.tile(dog, Vendor.NOTO).getWidth()).isEqualTo(32);
        float[] noto = d.image(dog, Vendor.NOTO);
        float[] twemoji = d.image(dog, Vendor.TWEMOJI);
        assertThat(noto).hasSize(Images.LENGTH);
        // a drawing, not a blank tile, and the two vendors draw it differently
        assertThat(ImageMetrics.rmse(noto, blank())).isGreaterThan(0.1);
        assertThat(ImageMetrics.rmse(noto, twemoji)).isGreaterThan(0.01);
    }

    @Test
    void subjectsAreHeldOutOfPretrainingWhileTheirClassIsIn() {
        PretrainingSet set = PretrainingSet.get();
        assertThat(set.heldOut()).hasSizeGreaterThanOrEqualTo(20).isEqualTo(Subjects.names());
        assertThat(set.embeddingRows()).isEqualTo(set.classes().size() + set.heldOut().size());
        List<PretrainingSet.Sample> samples = set.samples();
        Set<String> trained = samples.stream().map(s -> s.concept().shortName()).collect(Collectors.toSet());
        Map<String, Integer> perClass = new HashMap<>();
        samples.forEach(s -> perClass.merge(set.classes().get(s.classRow()), 1, Integer::sum));
        for (String subject : set.heldOut()) {
            assertThat(trained).doesNotContain(subject);
            assertThat(perClass.get(Subjects.classOf(subject))).as("siblings of %s", subject).isGreaterThanOrEqualTo(2);
            assertThat(Subjects.subjectRow(subject)).isGreaterThanOrEqualTo(set.classes().size());
        }
        assertThat(samples).hasSize(2 * trained.size());
    }

    @Test
    void aCorruptOrTruncatedOrMissingFileIsAClearError(@TempDir Path tmp) throws Exception {
        copyBundled(tmp);
        assertThat(EmojiDataSet.load(tmp).concepts()).hasSameSizeAs(EmojiDataSet.bundled().concepts());

        byte[] png = Files.readAllBytes(tmp.resolve("noto-32.png"));
        png[png.length / 2] ^= 0x5a;
        Files.write(tmp.resolve("noto-32.png"), png);
        assertThatThrownBy(() -> EmojiDataSet.load(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("noto-32.png").hasMessageContaining("corrupt or truncated")
                .hasMessageContaining("prepare-emoji-data.sh");

        copyBundled(tmp);
        byte[] tsv = Files.readAllBytes(tmp.resolve("concepts.tsv"));
        Files.write(tmp.resolve("concepts.tsv"), java.util.Arrays.copyOf(tsv, tsv.length / 3));
        assertThatThrownBy(() -> EmojiDataSet.load(tmp)).hasMessageContaining("concepts.tsv")
                .hasMessageContaining("truncated");

        copyBundled(tmp);
        Files.delete(tmp.resolve("twemoji-32.png"));
        assertThatThrownBy(() -> EmojiDataSet.load(tmp)).hasMessageContaining("twemoji-32.png")
                .hasMessageContaining("missing");
    }

    @Test
    void aBaseModelOfOtherClassesIsRejected() {
        BaseModel random = BaseModel.random(1);
        Map<String, String> meta = new HashMap<>(random.meta());
        meta.put("classes", "face|heart");
        Map<String, TensorFile.Tensor> weights = random.weights();
        assertThatThrownBy(() -> new BaseModel(weights, meta)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other classes");
    }

    private static void copyBundled(Path dir) throws Exception {
        for (String f : FILES) {
            try (InputStream in = EmojiDataSet.class.getResourceAsStream(EmojiDataSet.RESOURCE_DIR + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
    }

    private static float[] blank() {
        float[] b = new float[Images.LENGTH];
        java.util.Arrays.fill(b, 1f);
        return b;
    }
}
