package io.bayesweep.model.emoji;

import io.bayesweep.model.ToolArgs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Regenerates the shipped emoji data set from the two npm packages {@code emoji-datasource-google} (Noto
 * Emoji images, Apache-2.0) and {@code emoji-datasource-twitter} (Twemoji images, CC-BY-4.0), version
 * 16.0.0, unpacked with {@code npm pack} + {@code tar}. {@code scripts/prepare-emoji-data.sh} does all of it.
 *
 * <p>Keeps every base emoji both vendors draw (skin-tone variations are separate entries in
 * {@code skin_variations} and are never read; the {@code Component} category, which holds the skin-tone
 * swatches and hair parts, is dropped), composites each 32x32 tile of the clean sprite sheet over white and
 * writes: {@code concepts.tsv} (labels), {@code noto-32.png} and {@code twemoji-32.png} (tile atlases, 64
 * tiles per row, tile i at (i % 64, i / 64)) and {@code SHA256SUMS} (what {@link EmojiDataSet} verifies).
 */
public final class PrepareEmojiData {
    static final int TILE = 32;
    static final int PER_ROW = 64;

    private PrepareEmojiData() {
    }

    public static void main(String[] args) throws IOException {
        ToolArgs a = ToolArgs.parse(args);
        if (!a.containsKey("google") || !a.containsKey("twitter") || !a.containsKey("out")) {
            System.err.println("usage: PrepareEmojiData --google DIR --twitter DIR --out DIR"
                    + " (DIRs: unpacked emoji-datasource-google/-twitter 16.0.0 npm packages)");
            System.exit(2);
        }
        Path google = Path.of(a.get("google"));
        Path twitter = Path.of(a.get("twitter"));
        Path out = Path.of(a.get("out"));
        a.rejectUnknown();
        Files.createDirectories(out);

        JsonNode emoji = new ObjectMapper().readTree(google.resolve("emoji.json").toFile());
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode e : emoji) {
            if (!e.path("category").asText().equals("Component") && e.path("has_img_google").asBoolean()
                    && e.path("has_img_twitter").asBoolean()) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparingInt(e -> e.path("sort_order").asInt()));

        BufferedImage noto = ImageIO.read(google.resolve("img/google/sheets-clean/32.png").toFile());
        BufferedImage twemoji = ImageIO.read(twitter.resolve("img/twitter/sheets-clean/32.png").toFile());
        int rows = (kept.size() + PER_ROW - 1) / PER_ROW;
        BufferedImage notoAtlas = whiteAtlas(rows);
        BufferedImage twemojiAtlas = whiteAtlas(rows);
        StringBuilder tsv = new StringBuilder("index\tunified\tshort_name\tname\tcategory\tsubcategory\n");
        for (int i = 0; i < kept.size(); i++) {
            JsonNode e = kept.get(i);
            int sx = e.path("sheet_x").asInt() * (TILE + 2) + 1;
            int sy = e.path("sheet_y").asInt() * (TILE + 2) + 1;
            int dx = (i % PER_ROW) * TILE;
            int dy = (i / PER_ROW) * TILE;
            copyOverWhite(noto, sx, sy, notoAtlas, dx, dy);
            copyOverWhite(twemoji, sx, sy, twemojiAtlas, dx, dy);
            tsv.append(i).append('\t').append(e.path("unified").asText()).append('\t')
                    .append(e.path("short_name").asText()).append('\t')
                    .append(e.path("name").asText().toLowerCase(java.util.Locale.ROOT)).append('\t')
                    .append(e.path("category").asText()).append('\t')
                    .append(e.path("subcategory").asText()).append('\n');
        }
        ImageIO.write(notoAtlas, "png", out.resolve(EmojiDataSet.NOTO_FILE).toFile());
        ImageIO.write(twemojiAtlas, "png", out.resolve(EmojiDataSet.TWEMOJI_FILE).toFile());
        Files.writeString(out.resolve(EmojiDataSet.CONCEPTS_FILE), tsv);
        StringBuilder sums = new StringBuilder();
        for (String f : List.of(EmojiDataSet.CONCEPTS_FILE, EmojiDataSet.NOTO_FILE, EmojiDataSet.TWEMOJI_FILE)) {
            sums.append(EmojiDataSet.sha256(Files.readAllBytes(out.resolve(f)))).append("  ").append(f).append('\n');
        }
        Files.writeString(out.resolve(EmojiDataSet.SUMS_FILE), sums);
        System.out.printf("wrote %d concepts x 2 vendors to %s%n", kept.size(), out);
    }

    private static BufferedImage whiteAtlas(int rows) {
        BufferedImage img = new BufferedImage(PER_ROW * TILE, rows * TILE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    /** Alpha-composites one tile over white, by hand, so the result does not depend on AWT's blending. */
    private static void copyOverWhite(BufferedImage sheet, int sx, int sy, BufferedImage atlas, int dx, int dy) {
        for (int y = 0; y < TILE; y++) {
            for (int x = 0; x < TILE; x++) {
                int argb = sheet.getRGB(sx + x, sy + y);
                int alpha = (argb >>> 24) & 0xff;
                int r = over((argb >> 16) & 0xff, alpha);
                int g = over((argb >> 8) & 0xff, alpha);
                int b = over(argb & 0xff, alpha);
                atlas.setRGB(dx + x, dy + y, (r << 16) | (g << 8) | b);
            }
        }
    }

    private static int over(int c, int alpha) {
        return (c * alpha + 255 * (255 - alpha) + 127) / 255;
    }
}
