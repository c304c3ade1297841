package io.bayesweep.model.emoji;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Draws the procedural emoji-like images with java.awt (headless): each image is drawn at 64x64 with
 * anti-aliasing over white and box-averaged down to 16x16. Deterministic for given parameters.
 *
 * <p>This is the stand-in data set of issue 2; issue 3 replaces it with Noto Emoji / Twemoji tiles.
 */
public final class EmojiRenderer {

    /** Rendering resolution; images are averaged down to {@link Images#SIZE}. */
    static final int HI = 64;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private EmojiRenderer() {
    }

    /** Face eye styles. WINK and SLEEPY only occur in the held-out subjects. */
    public enum Eyes { DOTS, OVALS, BIG, HAPPY, WINK, SLEEPY }

    /** Face mouth styles. */
    public enum Mouth { SMILE, GRIN, FROWN, FLAT, O, TONGUE }

    /** Everything that varies between faces. */
    public record FaceStyle(Color skin, Color outline, Eyes eyes, Mouth mouth, boolean blush, boolean zzz,
                            boolean bubble, double size, double dx, double dy) {
    }

    public static BufferedImage canvas() {
        BufferedImage img = new BufferedImage(HI, HI, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, HI, HI);
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    public static float[] face(FaceStyle s) {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        double r = 26 * s.size();
        double cx = 32 + s.dx();
        double cy = 32 + s.dy();
        g.setColor(s.skin());
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setColor(s.outline());
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        Color dark = new Color(0x3B2A14);
        double ex = 0.38 * r;
        double ey = cy - 0.22 * r;
        g.setColor(dark);
        g.setStroke(new BasicStroke((float) (0.12 * r), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        switch (s.eyes()) {
            case DOTS -> {
                dot(g, cx - ex, ey, 0.13 * r, 0.13 * r);
                dot(g, cx + ex, ey, 0.13 * r, 0.13 * r);
            }
            case OVALS -> {
                dot(g, cx - ex, ey, 0.11 * r, 0.2 * r);
                dot(g, cx + ex, ey, 0.11 * r, 0.2 * r);
            }
            case BIG -> {
                g.setColor(Color.WHITE);
                dot(g, cx - ex, ey, 0.22 * r, 0.22 * r);
                dot(g, cx + ex, ey, 0.22 * r, 0.22 * r);
                g.setColor(dark);
                dot(g, cx - ex, ey, 0.11 * r, 0.11 * r);
                dot(g, cx + ex, ey, 0.11 * r, 0.11 * r);
            }
            case HAPPY -> { // upward arcs ^ ^
                arc(g, cx - ex, ey + 0.08 * r, 0.2 * r, 0, 180);
                arc(g, cx + ex, ey + 0.08 * r, 0.2 * r, 0, 180);
            }
            case WINK -> { // left eye open, right eye a ^ arc
                dot(g, cx - ex, ey, 0.13 * r, 0.17 * r);
                arc(g, cx + ex, ey + 0.08 * r, 0.2 * r, 0, 180);
            }
            case SLEEPY -> { // closed eyes: downward arcs, drawn low
                arc(g, cx - ex, ey - 0.02 * r, 0.2 * r, 180, 180);
                arc(g, cx + ex, ey - 0.02 * r, 0.2 * r, 180, 180);
            }
        }
        if (s.blush()) {
            g.setColor(new Color(255, 120, 120, 150));
            dot(g, cx - 0.62 * r, cy + 0.12 * r, 0.14 * r, 0.09 * r);
            dot(g, cx + 0.62 * r, cy + 0.12 * r, 0.14 * r, 0.09 * r);
        }
        double my = cy + 0.35 * r;
        g.setColor(dark);
        switch (s.mouth()) {
            case SMILE -> arc(g, cx, my - 0.2 * r, 0.45 * r, 200, 140);
            case GRIN -> {
                Path2D p = new Path2D.Double();
                p.moveTo(cx - 0.5 * r, my - 0.08 * r);
                p.lineTo(cx + 0.5 * r, my - 0.08 * r);
                p.quadTo(cx, my + 0.65 * r, cx - 0.5 * r, my - 0.08 * r);
                g.fill(p);
            }
            case FROWN -> arc(g, cx, my + 0.25 * r, 0.35 * r, 20, 140);
            case FLAT -> {
                g.draw(new java.awt.geom.Line2D.Double(cx - 0.3 * r, my + 0.05 * r, cx + 0.3 * r, my + 0.05 * r));
            }
            case O -> dot(g, cx, my + 0.05 * r, 0.14 * r, 0.18 * r);
            case TONGUE -> {
                arc(g, cx, my - 0.2 * r, 0.45 * r, 200, 140);
                g.setColor(new Color(0xE0505A));
                dot(g, cx + 0.1 * r, my + 0.3 * r, 0.16 * r, 0.2 * r);
            }
        }
        if (s.bubble()) {
            g.setColor(new Color(120, 180, 255, 220));
            dot(g, cx + 0.3 * r, cy + 0.12 * r, 0.2 * r, 0.2 * r);
        }
        if (s.zzz()) {
            g.setColor(new Color(0x3060C0));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(0.55 * r)));
            g.drawString("z", (float) (cx + 0.55 * r), (float) (cy - 0.6 * r));
        }
        g.dispose();
        return Images.downsample(img);
    }

    /**
     * A rotation about (cx, cy) built with StrictMath: Graphics2D.rotate uses Math.sin/cos, whose results
     * may change when the JIT compiles them, and the data must be identical in every JVM.
     */
    static java.awt.geom.AffineTransform rotation(double deg, double cx, double cy) {
        double a = Math.toRadians(deg);
        double c = StrictMath.cos(a);
        double sn = StrictMath.sin(a);
        return new java.awt.geom.AffineTransform(c, sn, -sn, c, cx - c * cx + sn * cy, cy - sn * cx - c * cy);
    }

    private static void dot(Graphics2D g, double x, double y, double rx, double ry) {
        g.fill(new Ellipse2D.Double(x - rx, y - ry, 2 * rx, 2 * ry));
    }

    private static void arc(Graphics2D g, double x, double y, double rr, double start, double extent) {
        g.draw(new Arc2D.Double(x - rr, y - rr, 2 * rr, 2 * rr, start, extent, Arc2D.OPEN));
    }

    public static java.awt.Shape heartShape(double cx, double cy, double r) {
        Path2D p = new Path2D.Double();
        p.moveTo(cx, cy + 0.95 * r);
        p.curveTo(cx - 1.25 * r, cy + 0.05 * r, cx - 1.05 * r, cy - 0.95 * r, cx, cy - 0.45 * r);
        p.curveTo(cx + 1.05 * r, cy - 0.95 * r, cx + 1.25 * r, cy + 0.05 * r, cx, cy + 0.95 * r);
        p.closePath();
        return p;
    }

    public static float[] heart(Color color, double size, double rotDeg, double dx, double dy, boolean highlight,
                                boolean outline) {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        double r = 27 * size;
        g.transform(rotation(rotDeg, 32 + dx, 32 + dy));
        java.awt.Shape h = heartShape(32 + dx, 32 + dy, r);
        g.setColor(color);
        g.fill(h);
        if (outline) {
            g.setColor(color.darker());
            g.setStroke(new BasicStroke(2.5f));
            g.draw(h);
        }
        if (highlight) {
            g.setColor(new Color(255, 255, 255, 150));
            dot(g, 32 + dx - 0.45 * r, 32 + dy - 0.35 * r, 0.14 * r, 0.1 * r);
        }
        g.dispose();
        return Images.downsample(img);
    }

    public static java.awt.Shape starShape(double cx, double cy, double r, double inner, double rotDeg) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double a = Math.toRadians(rotDeg - 90 + i * 36);
            double rr = (i % 2 == 0) ? r : r * inner;
            double x = cx + rr * StrictMath.cos(a);
            double y = cy + rr * StrictMath.sin(a);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    public static float[] star(Color color, double size, double rotDeg, double inner, double dx, double dy,
                               boolean outline) {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        java.awt.Shape s = starShape(32 + dx, 33 + dy, 29 * size, inner, rotDeg);
        g.setColor(color);
        g.fill(s);
        if (outline) {
            g.setColor(color.darker().darker());
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(s);
        }
        g.dispose();
        return Images.downsample(img);
    }

    public static float[] flower(Color petal, Color centre, int petals, double size, double rotDeg, double dx,
                                 double dy, boolean stem) {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        double cx = 32 + dx;
        double cy = (stem ? 27 : 32) + dy;
        double r = 24 * size;
        if (stem) {
            g.setColor(new Color(0x4A9A3A));
            g.setStroke(new BasicStroke(4f));
            g.draw(new java.awt.geom.Line2D.Double(cx, cy, cx, 62));
        }
        g.setColor(petal);
        for (int i = 0; i < petals; i++) {
            double a = Math.toRadians(rotDeg + i * 360.0 / petals);
            dot(g, cx + 0.55 * r * StrictMath.cos(a), cy + 0.55 * r * StrictMath.sin(a), 0.38 * r, 0.38 * r);
        }
        g.setColor(centre);
        dot(g, cx, cy, 0.3 * r, 0.3 * r);
        g.dispose();
        return Images.downsample(img);
    }

    public static float[] moon(Color color, double size, boolean crescent, boolean faceLeft, double dx, double dy,
                               double cut) {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        double r = 25 * size;
        double cx = 32 + dx;
        double cy = 32 + dy;
        Area a = new Area(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        if (crescent) {
            double off = (faceLeft ? -1 : 1) * cut * r;
            a.subtract(new Area(new Ellipse2D.Double(cx - r + off, cy - r - 0.15 * r, 2 * r, 2 * r)));
            g.setColor(color);
            g.fill(a);
        } else {
            g.setColor(color);
            g.fill(a);
            g.setColor(color.darker());
            dot(g, cx - 0.3 * r, cy - 0.2 * r, 0.18 * r, 0.18 * r);
            dot(g, cx + 0.35 * r, cy + 0.3 * r, 0.22 * r, 0.22 * r);
            dot(g, cx + 0.1 * r, cy - 0.5 * r, 0.1 * r, 0.1 * r);
        }
        g.dispose();
        return Images.downsample(img);
    }

    /** A random colour near {@code base}: each channel jittered by up to {@code j}. */
    static Color jitter(Random rnd, Color base, int j) {
        return new Color(clamp(base.getRed() + rnd.nextInt(2 * j + 1) - j),
                clamp(base.getGreen() + rnd.nextInt(2 * j + 1) - j),
                clamp(base.getBlue() + rnd.nextInt(2 * j + 1) - j));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
