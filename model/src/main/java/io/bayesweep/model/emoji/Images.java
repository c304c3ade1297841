package io.bayesweep.model.emoji;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Image helpers. An image is a {@code float[3 * 16 * 16]} in CHW order with values in [-1, 1]
 * (-1 = black, 1 = white): the layout the model consumes.
 */
public final class Images {
    public static final int SIZE = 16;
    public static final int CHANNELS = 3;
    public static final int PIXELS = SIZE * SIZE;
    public static final int LENGTH = CHANNELS * PIXELS;

    private Images() {
    }

    /** Box-averages a square image whose side is a multiple of 16 down to 16x16. */
    public static float[] downsample(BufferedImage img) {
        int f = img.getWidth() / SIZE;
        float[] out = new float[LENGTH];
        float norm = 1f / (f * f * 255f);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        int rgb = img.getRGB(x * f + dx, y * f + dy);
                        r += (rgb >> 16) & 0xff;
                        g += (rgb >> 8) & 0xff;
                        b += rgb & 0xff;
                    }
                }
                int i = y * SIZE + x;
                out[i] = r * norm * 2 - 1;
                out[PIXELS + i] = g * norm * 2 - 1;
                out[2 * PIXELS + i] = b * norm * 2 - 1;
            }
        }
        return out;
    }

    /** Shifts an image by (dx, dy) pixels, filling with white. */
    public static float[] shift(float[] img, int dx, int dy) {
        float[] out = new float[LENGTH];
        java.util.Arrays.fill(out, 1f);
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < SIZE; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= SIZE) {
                    continue;
                }
                for (int x = 0; x < SIZE; x++) {
                    int sx = x - dx;
                    if (sx >= 0 && sx < SIZE) {
                        out[c * PIXELS + y * SIZE + x] = img[c * PIXELS + sy * SIZE + sx];
                    }
                }
            }
        }
        return out;
    }

    /** Mirrors an image left-right. */
    public static float[] flip(float[] img) {
        float[] out = new float[LENGTH];
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    out[c * PIXELS + y * SIZE + x] = img[c * PIXELS + y * SIZE + (SIZE - 1 - x)];
                }
            }
        }
        return out;
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
    }

    /**
     * Draws rows of images into one PNG, each image scaled up by {@code scale} (nearest), with a
     * 2-pixel light-grey gap.
     */
    public static byte[] gridPng(List<List<float[]>> rows, int scale) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        int gap = 2;
        int cell = SIZE * scale;
        int w = cols * (cell + gap) + gap;
        int h = rows.size() * (cell + gap) + gap;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, 0xC8C8C8);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            List<float[]> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                float[] img = row.get(c);
                int ox = gap + c * (cell + gap);
                int oy = gap + r * (cell + gap);
                for (int y = 0; y < cell; y++) {
                    for (int x = 0; x < cell; x++) {
                        int i = (y / scale) * SIZE + (x / scale);
                        int rgb = (to8(img[i]) << 16) | (to8(img[PIXELS + i]) << 8) | to8(img[2 * PIXELS + i]);
                        out.setRGB(ox + x, oy + y, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
