package io.bayesweep.model.emoji;

import io.bayesweep.model.emoji.EmojiRenderer.Eyes;
import io.bayesweep.model.emoji.EmojiRenderer.FaceStyle;
import io.bayesweep.model.emoji.EmojiRenderer.Mouth;
import java.awt.Color;
import java.util.List;

/**
 * The few-shot subjects, held out of pretraining while their class stays in it (DreamBooth-style).
 * Each has three reference images: two "vendors" drawing the same concept differently and one variant,
 * so that shots 1..3 work; shot k uses the first k references.
 */
public final class Subjects {
    private static final List<String> NAMES = List.of("wink_face", "sleepy_face", "blue_heart", "green_star");

    private Subjects() {
    }

    /** Exactly the supported subject names, in a stable order. */
    public static List<String> names() {
        return NAMES;
    }

    /** Index of {@code name} in {@link #names()}, or -1. */
    public static int indexOf(String name) {
        return NAMES.indexOf(name);
    }

    /** The class the subject belongs to (which is in pretraining). */
    public static EmojiClass classOf(String name) {
        return switch (name) {
            case "wink_face", "sleepy_face" -> EmojiClass.FACE;
            case "blue_heart" -> EmojiClass.HEART;
            case "green_star" -> EmojiClass.STAR;
            default -> throw new IllegalArgumentException("unknown subject '" + name + "', allowed: " + NAMES);
        };
    }

    /** The three reference images of {@code name} (vendor A, vendor B, variant). */
    public static List<float[]> references(String name) {
        return switch (name) {
            case "wink_face" -> List.of(
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFCC33), new Color(0xE0A000), Eyes.WINK,
                            Mouth.SMILE, false, false, false, 1.0, 0, 0)),
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFB300), new Color(0xC77800), Eyes.WINK,
                            Mouth.GRIN, true, false, false, 1.04, 0, 1)),
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFD23F), new Color(0xE0A000), Eyes.WINK,
                            Mouth.TONGUE, false, false, false, 0.96, 1, 0)));
            case "sleepy_face" -> List.of(
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFCC33), new Color(0xE0A000), Eyes.SLEEPY,
                            Mouth.O, false, false, true, 1.0, 0, 0)),
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFB300), new Color(0xC77800), Eyes.SLEEPY,
                            Mouth.FLAT, false, true, false, 1.02, 0, 1)),
                    EmojiRenderer.face(new FaceStyle(new Color(0xFFD23F), new Color(0xE0A000), Eyes.SLEEPY,
                            Mouth.O, false, true, true, 0.96, -1, 0)));
            case "blue_heart" -> List.of(
                    EmojiRenderer.heart(new Color(0x3B88C3), 1.0, 0, 0, 0, false, false),
                    EmojiRenderer.heart(new Color(0x5DADEC), 0.98, 0, 0, 1, true, true),
                    EmojiRenderer.heart(new Color(0x2A6FB0), 0.92, 8, 1, 0, true, false));
            case "green_star" -> List.of(
                    EmojiRenderer.star(new Color(0x77B255), 1.0, 0, 0.45, 0, 0, false),
                    EmojiRenderer.star(new Color(0x4CAF50), 0.97, 0, 0.42, 0, 0, true),
                    EmojiRenderer.star(new Color(0x5C913B), 0.92, 8, 0.47, 1, 1, false));
            default -> throw new IllegalArgumentException("unknown subject '" + name + "', allowed: " + NAMES);
        };
    }
}
