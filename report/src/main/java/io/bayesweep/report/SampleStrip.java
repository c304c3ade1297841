package io.bayesweep.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A run's samples over its steps in one PNG: for each chosen eval step a column with the first
 * {@code samples} samples of that step's grid, the step written under it (in red, with a tag, for the key
 * steps: fidelity peak, the low point after it, detector window onsets).
 *
 * <p>An eval grid ({@code EvalReport.samplePng}, {@code Images.gridPng(rows, 4)}) is 2 rows x 4 columns of
 * 16x16 samples at 4x (64 px tiles), each tile 2 px from its neighbours and the edge: sample i (0-7) lies at
 * x = 2 + (i % 4) * 66, y = 2 + (i / 4) * 66.
 */
public final class SampleStrip {
    public static final int TILE = 64;
    public static final int GRID_GAP = 2;
    public static final int GRID_COLS = 4;

    private static final int GAP = 6;
    private static final int PAD = 8;
    private static final int TITLE_H = 24;
    private static final int LABEL_H = 30;

    private SampleStrip() {
    }

    /** Sample {@code index} (0-7) of an eval grid. */
    public static BufferedImage tile(BufferedImage grid, int index) {
        int x = GRID_GAP + (index % GRID_COLS) * (TILE + GRID_GAP);
        int y = GRID_GAP + (index / GRID_COLS) * (TILE + GRID_GAP);
        return grid.getSubimage(x, y, TILE, TILE);
    }

    /**
     * About {@code count} steps evenly spaced in step value over {@code available} (ascending; the first and the
     * last included), each the nearest available step, plus the {@code key} steps that are available.
     */
    public static List<Long> chooseSteps(List<Long> available, int count, Iterable<Long> key) {
        TreeSet<Long> chosen = new TreeSet<>();
        if (available.isEmpty()) {
            return List.of();
        }
        long first = available.get(0);
        long last = available.get(available.size() - 1);
        int n = Math.max(1, count);
        for (int j = 0; j < n; j++) {
            double target = n == 1 ? last : first + (double) j * (last - first) / (n - 1);
            long best = available.get(0);
            for (long s : available) {
                if (Math.abs(s - target) < Math.abs(best - target)) {
                    best = s;
                }
            }
            chosen.add(best);
        }
        for (Long k : key) {
            if (k != null && available.contains(k)) {
                chosen.add(k);
            }
        }
        return new ArrayList<>(chosen);
    }

    /**
     * Composes the strip.
     *
     * @param title   drawn at the top
     * @param steps   the steps to show, ascending
     * @param tags    a tag per key step ("peak", "low", "onset"), drawn in red under the step
     * @param samples how many samples of each grid (1-8), one row each
     */
    public static byte[] compose(String title, RunFolder run, List<Long> steps, Map<Long, String> tags, int samples)
            throws IOException {
        int rows = Math.max(1, Math.min(8, samples));
        int cols = Math.max(1, steps.size());
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        int titleWidth;
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            titleWidth = probe.getFontMetrics(titleFont).stringWidth(title);
        } finally {
            probe.dispose();
        }
        int width = Math.max(2 * PAD + cols * TILE + (cols - 1) * GAP, 2 * PAD + titleWidth);
        int height = TITLE_H + PAD + rows * TILE + (rows - 1) * GAP + LABEL_H;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(title, PAD, 17);
            Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            for (int c = 0; c < steps.size(); c++) {
                long step = steps.get(c);
                int x = PAD + c * (TILE + GAP);
                java.nio.file.Path file = run.sample(step);
                BufferedImage grid = java.nio.file.Files.exists(file) ? ImageIO.read(file.toFile()) : null;
                for (int r = 0; r < rows; r++) {
                    int y = TITLE_H + r * (TILE + GAP);
                    if (fits(grid, r)) {
                        g.drawImage(tile(grid, r), x, y, null);
                    } else {
                        g.setColor(new Color(0xDDDDDD));
                        g.fillRect(x, y, TILE, TILE);
                    }
                    g.setColor(new Color(0xC8C8C8));
                    g.drawRect(x - 1, y - 1, TILE + 1, TILE + 1);
                }
                int ly = TITLE_H + rows * TILE + (rows - 1) * GAP;
                String tag = tags.get(step);
                g.setFont(label);
                g.setColor(tag == null ? Color.DARK_GRAY : new Color(0xC00000));
                centered(g, Long.toString(step), x, ly + 13);
                if (tag != null) {
                    centered(g, tag, x, ly + 26);
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new UncheckedIOException(new IOException("no PNG writer"));
        }
        return out.toByteArray();
    }

    /** Whether sample {@code index} lies inside the grid (a missing or smaller image: a grey tile instead). */
    private static boolean fits(BufferedImage grid, int index) {
        return grid != null
                && grid.getWidth() >= (index % GRID_COLS + 1) * (TILE + GRID_GAP)
                && grid.getHeight() >= (index / GRID_COLS + 1) * (TILE + GRID_GAP);
    }

    private static void centered(Graphics2D g, String text, int x, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x + (TILE - fm.stringWidth(text)) / 2, baseline);
    }
}
