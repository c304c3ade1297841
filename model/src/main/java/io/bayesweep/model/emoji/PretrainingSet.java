package io.bayesweep.model.emoji;

import io.bayesweep.model.emoji.EmojiDataSet.Concept;
import io.bayesweep.model.emoji.EmojiDataSet.Vendor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the base model is pretrained on, and its class-embedding rows.
 *
 * <p>Classes are the emoji-data subcategories of {@link #CATEGORIES}: a coherent subset (faces, hearts,
 * animals, plants) because a small model on a 2-core CPU learns a coherent set to recognisable samples in
 * an hour or two, and the whole set of 95 subcategories not (see {@code shared/notes}). The pretraining
 * images are both vendors' drawings of every concept of those classes except the held-out subjects
 * ({@code held-out.txt}), so each subject's class is known to the base model and the subject is not.
 *
 * <p>Class-embedding rows: one per class ({@code 0 .. classes-1}), then one spare row per subject
 * ({@link #subjectRow}).
 */
public final class PretrainingSet {
    public static final List<String> CATEGORIES = List.of("Smileys & Emotion", "Animals & Nature");
    private static final String HELD_OUT_RESOURCE = EmojiDataSet.RESOURCE_DIR + "held-out.txt";

    /** One pretraining image: a concept drawn by a vendor, with its class row. */
    public record Sample(Concept concept, Vendor vendor, int classRow, float[] image) {
    }

    private static volatile PretrainingSet instance;

    private final List<String> classes;
    private final List<String> heldOut;
    private final EmojiDataSet data;

    private PretrainingSet(EmojiDataSet data, List<String> heldOut) {
        this.data = data;
        Set<String> cls = new LinkedHashSet<>();
        for (Concept c : data.concepts()) {
            if (CATEGORIES.contains(c.category())) {
                cls.add(c.subcategory());
            }
        }
        this.classes = List.copyOf(cls);
        for (String name : heldOut) {
            Concept c = data.concept(name);
            if (!classes.contains(c.subcategory())) {
                throw new IllegalStateException("held-out subject '" + name + "' is in subcategory "
                        + c.subcategory() + ", which is not a pretraining class");
            }
        }
        this.heldOut = List.copyOf(heldOut);
    }

    /** The pretraining set of the bundled data set and held-out list. */
    public static PretrainingSet get() {
        PretrainingSet p = instance;
        if (p == null) {
            synchronized (PretrainingSet.class) {
                if (instance == null) {
                    instance = new PretrainingSet(EmojiDataSet.bundled(), readHeldOut());
                }
                p = instance;
            }
        }
        return p;
    }

    private static List<String> readHeldOut() {
        try (InputStream in = PretrainingSet.class.getResourceAsStream(HELD_OUT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(HELD_OUT_RESOURCE + " is missing from the classpath");
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    names.add(s);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EmojiDataSet data() {
        return data;
    }

    /** The class names (subcategories), in row order. */
    public List<String> classes() {
        return classes;
    }

    /** The held-out subjects' short names, in spare-row order. */
    public List<String> heldOut() {
        return heldOut;
    }

    /** Rows of the class-embedding table: one per class plus one spare row per subject. */
    public int embeddingRows() {
        return classes.size() + heldOut.size();
    }

    public int classRow(String subcategory) {
        int i = classes.indexOf(subcategory);
        if (i < 0) {
            throw new IllegalArgumentException("'" + subcategory + "' is not a pretraining class");
        }
        return i;
    }

    /** The spare row of held-out subject {@code index}. */
    public int subjectRow(int index) {
        return classes.size() + index;
    }

    /** Every pretraining image: both vendors of every concept of the classes, subjects excluded. */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Concept c : data.concepts()) {
            if (CATEGORIES.contains(c.category()) && !heldOut.contains(c.shortName())) {
                for (Vendor v : Vendor.values()) {
                    out.add(new Sample(c, v, classRow(c.subcategory()), data.image(c, v)));
                }
            }
        }
        return out;
    }
}
