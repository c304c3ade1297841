package io.bayesweep.model.emoji;

import io.bayesweep.model.emoji.EmojiRenderer.Eyes;
import io.bayesweep.model.emoji.EmojiRenderer.FaceStyle;
import io.bayesweep.model.emoji.EmojiRenderer.Mouth;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The procedural pretraining set: random variants of each {@link EmojiClass}, deterministic from a seed.
 * The few-shot subjects ({@link Subjects}) are excluded by construction: no wink or sleepy eyes, no blue
 * heart, no green star.
 */
public final class ProceduralEmoji {

    private static final Color[] SKINS = {new Color(0xFFCC33), new Color(0xFFD94A), new Color(0xFFC107),
        new Color(0xF9C23C), new Color(0xFFB74D)};
    private static final Color[] HEARTS = {new Color(0xDD2E44), new Color(0xF4ABBA), new Color(0xAA8ED6),
        new Color(0xF4900C), new Color(0xFDCB58), new Color(0xE91E63), new Color(0x8B0000), new Color(0x292F33)};
    private static final Color[] STARS = {new Color(0xFFAC33), new Color(0xFFD700), new Color(0xF4900C),
        new Color(0xDD2E44), new Color(0xAA8ED6), new Color(0xFFE8B6)};
    private static final Color[] PETALS = {new Color(0xEA596E), new Color(0xF4ABBA), new Color(0xFF8C42),
        new Color(0xAA8ED6), new Color(0xFFD983), new Color(0xDD2E44)};
    private static final Color[] CENTRES = {new Color(0xFFCC4D), new Color(0xF4900C), new Color(0x8B5A2B)};
    private static final Color[] MOONS = {new Color(0xFFD983), new Color(0xFFCC4D), new Color(0xCCD6DD),
        new Color(0xF4E4A1)};
    private static final Eyes[] FACE_EYES = {Eyes.DOTS, Eyes.OVALS, Eyes.BIG, Eyes.HAPPY};
    private static final Mouth[] FACE_MOUTHS = {Mouth.SMILE, Mouth.GRIN, Mouth.FROWN, Mouth.FLAT, Mouth.O};

    private ProceduralEmoji() {
    }

    /** One labelled image. */
    public record Sample(EmojiClass cls, float[] image) {
    }

    private static <T> T pick(Random rnd, T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    /** A random variant of {@code cls}, fully determined by {@code rnd}'s state. */
    public static float[] render(EmojiClass cls, Random rnd) {
        double dx = uniform(rnd, -3, 3);
        double dy = uniform(rnd, -3, 3);
        double size = uniform(rnd, 0.82, 1.05);
        return switch (cls) {
            case FACE -> {
                Color skin = EmojiRenderer.jitter(rnd, pick(rnd, SKINS), 10);
                yield EmojiRenderer.face(new FaceStyle(skin, skin.darker(), pick(rnd, FACE_EYES),
                        pick(rnd, FACE_MOUTHS), rnd.nextInt(4) == 0, false, false, size, dx, dy));
            }
            case HEART -> EmojiRenderer.heart(EmojiRenderer.jitter(rnd, pick(rnd, HEARTS), 12), size,
                    uniform(rnd, -12, 12), dx, dy, rnd.nextBoolean(), rnd.nextInt(3) == 0);
            case STAR -> EmojiRenderer.star(EmojiRenderer.jitter(rnd, pick(rnd, STARS), 12), size,
                    uniform(rnd, -10, 10), uniform(rnd, 0.38, 0.5), dx, dy, rnd.nextInt(3) == 0);
            case FLOWER -> EmojiRenderer.flower(EmojiRenderer.jitter(rnd, pick(rnd, PETALS), 12),
                    pick(rnd, CENTRES), 5 + rnd.nextInt(2), size, uniform(rnd, 0, 72), dx, dy, rnd.nextBoolean());
            case MOON -> EmojiRenderer.moon(EmojiRenderer.jitter(rnd, pick(rnd, MOONS), 10), size,
                    rnd.nextInt(3) != 0, rnd.nextBoolean(), dx, dy, uniform(rnd, 0.45, 0.7));
        };
    }

    /** {@code perClass} variants of every class, in class-interleaved order, deterministic from {@code seed}. */
    public static List<Sample> generate(int perClass, long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>(perClass * EmojiClass.values().length);
        for (int i = 0; i < perClass; i++) {
            for (EmojiClass cls : EmojiClass.values()) {
                out.add(new Sample(cls, render(cls, rnd)));
            }
        }
        return out;
    }
}
