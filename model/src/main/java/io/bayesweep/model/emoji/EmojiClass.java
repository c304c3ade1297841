package io.bayesweep.model.emoji;

/** The pretraining classes of the procedural set; {@link #ordinal()} is the class-embedding row. */
public enum EmojiClass {
    FACE, HEART, STAR, FLOWER, MOON;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
