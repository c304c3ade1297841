package io.bayesweep.model.emoji;

import io.bayesweep.model.emoji.EmojiDataSet.Concept;
import io.bayesweep.model.emoji.EmojiDataSet.Vendor;
import java.util.ArrayList;
import java.util.List;

/**
 * The few-shot subjects: the held-out concepts of {@link PretrainingSet}, named by their emoji-data short
 * name. Each has two reference images, the same concept drawn by two vendors: shots 1 uses the Noto drawing
 * (object-driven), shots 2 adds the Twemoji one (subject-driven).
 */
public final class Subjects {
    public static final int MAX_SHOTS = Vendor.values().length;

    private Subjects() {
    }

    /** Exactly the supported subject names, in a stable order. */
    public static List<String> names() {
        return PretrainingSet.get().heldOut();
    }

    /** Index of {@code name} in {@link #names()}, or -1. */
    public static int indexOf(String name) {
        return names().indexOf(name);
    }

    /** The class (subcategory) the subject belongs to, which is in pretraining. */
    public static String classOf(String name) {
        return concept(name).subcategory();
    }

    /** The class-embedding row of the subject's class (the row its token is initialised from). */
    public static int classRow(String name) {
        return PretrainingSet.get().classRow(classOf(name));
    }

    /** The spare class-embedding row that becomes the subject's token. */
    public static int subjectRow(String name) {
        return PretrainingSet.get().subjectRow(indexOf(name));
    }

    /** The reference images of {@code name}: Noto, then Twemoji. */
    public static List<float[]> references(String name) {
        Concept c = concept(name);
        List<float[]> out = new ArrayList<>();
        for (Vendor v : Vendor.values()) {
            out.add(PretrainingSet.get().data().image(c, v));
        }
        return out;
    }

    private static Concept concept(String name) {
        if (indexOf(name) < 0) {
            throw new IllegalArgumentException("unknown subject '" + name + "', allowed: " + names());
        }
        return PretrainingSet.get().data().concept(name);
    }
}
