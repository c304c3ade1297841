package io.bayesweep.report;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.model.emoji.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReproductionReportTest {

    /**
     * A fabricated run: fidelity rises to a plateau; with {@code dip}, it falls by 0.3 while noise triples over
     * steps 400-480, then recovers; memorization and sigma1 fall slowly. Eval every 20 steps up to 800.
     */
    private static void fabricate(Path data, RunSpec spec, boolean dip, long seed) throws Exception {
        RunFolder f = new RunFolder(data.resolve(spec.name()));
        Files.createDirectories(f.samples());
        Random rnd = new Random(seed);
        List<MetricsCsv.Row> rows = new ArrayList<>();
        for (long step = 20; step <= 800; step += 20) {
            double fidelity = 0.3 + 0.5 * (1 - Math.exp(-step / 120.0)) + 0.01 * rnd.nextGaussian();
            double noise = 0.04 * (1 + 0.04 * rnd.nextGaussian());
            boolean inDip = dip && step >= 400 && step < 480;
            if (inDip) {
                fidelity -= 0.3;
                noise *= 3;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", 0.05);
            m.put("kl", spec.baseline() ? 0.0 : 0.5);
            m.put("fidelity", fidelity);
            m.put("noise", noise);
            m.put("memorization", 0.2 * Math.exp(-step / 400.0));
            m.put("sigma1", 1.5 * Math.exp(-step / 500.0));
            m.put("sigma_mean", spec.baseline() ? 0.0 : 1e-3);
            rows.add(new MetricsCsv.Row(step, m));
            float[] img = new float[3 * Images.PIXELS];
            Arrays.fill(img, inDip ? -0.5f : (float) (step / 800.0 - 0.5));
            List<float[]> row = List.of(img, img, img, img);
            Files.write(f.sample(step), Images.gridPng(List.of(row, row), 4));
        }
        MetricsCsv.write(f.metrics(), rows);
        var json = RunFolder.JSON.createObjectNode();
        json.set("spec", RunFolder.JSON.valueToTree(spec));
        json.put("status", "done");
        json.put("wall_seconds", 12.5);
        f.writeRunJson(json);
        Files.writeString(f.done(), "800\n");
    }

    @Test
    void chartsStripsAndSummaryFromStoredMetrics(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        List<RunSpec> plan = Plan.parse("""
                name\tsubject\tlr\tbayesian_layers\tkl_weight\tprior_std\tsteps
                wink-base\twink\t1e-3\tnone\t0\t0.01\t800
                wink-bnn\twink\t1e-3\tattn,conv\t1\t0.01\t800
                heart-base\tblue_heart\t3e-4\tnone\t0\t0.01\t800
                """, "test plan");
        fabricate(data, plan.get(0), true, 1);
        fabricate(data, plan.get(1), false, 2);
        fabricate(data, plan.get(2), false, 3);
        Files.writeString(data.resolve("plan.tsv"), Plan.toTsv(plan));
        Files.createDirectories(data.resolve("not-a-run"));  // no metrics.csv: ignored

        // -Dreport.test.figures=DIR keeps the figures for a look
        Path figures = System.getProperty("report.test.figures") != null
                ? Path.of(System.getProperty("report.test.figures")) : tmp.resolve("figures");
        ReproductionReport.Result r = ReproductionReport.generate(data, figures, data.resolve("summary.md"), 12, 2);

        assertThat(r.runs()).extracting(RunData::name).containsExactly("wink-base", "wink-bnn", "heart-base");
        for (String subject : List.of("wink", "blue_heart")) {
            for (String chart : List.of("fidelity", "noise", "sigma1", "memorization", "overview")) {
                Path png = figures.resolve(subject + "-" + chart + ".png");
                BufferedImage img = ImageIO.read(png.toFile());
                assertThat(img).as(png.toString()).isNotNull();
                assertThat(img.getWidth()).isGreaterThanOrEqualTo(Charts.WIDTH);
                assertThat(distinctColours(img)).as(png + " is not blank").isGreaterThan(5);
            }
        }
        BufferedImage strip = ImageIO.read(figures.resolve("strip-wink-base.png").toFile());
        assertThat(strip).isNotNull();
        // at most 12 evenly spaced steps plus the key steps (peak, low, window onset and end), 2 samples each
        List<Long> steps = SampleStrip.chooseSteps(new RunFolder(data.resolve("wink-base")).sampleSteps(), 12,
                ReproductionReport.keySteps(r.runs().get(0)).keySet());
        assertThat(steps).contains(20L, 800L, 400L).hasSizeBetween(12, 16);
        assertThat(strip.getWidth()).isGreaterThan(steps.size() * SampleStrip.TILE);
        assertThat(strip.getHeight()).isGreaterThan(2 * SampleStrip.TILE);

        RunData dipRun = r.runs().get(0);
        assertThat(dipRun.verdict().windows()).hasSize(1);
        assertThat(dipRun.verdict().windows().get(0).onset()).isEqualTo(400);
        assertThat(dipRun.verdict().windows().get(0).end()).isEqualTo(480);
        assertThat(r.runs().get(1).verdict().windows()).isEmpty();
        assertThat(r.runs().get(1).verdict().state()).isNotEqualTo(DetectorState.CORRUPTED);
        RunData.Drop drop = dipRun.deepestDrop("fidelity");
        assertThat(drop.to()).isBetween(400L, 460L);
        assertThat(drop.depth()).isGreaterThan(0.25);

        String summary = Files.readString(data.resolve("summary.md"));
        assertThat(summary).isEqualTo(r.summary()).isEqualTo(Files.readString(figures.resolve("summary.md")));
        assertThat(summary).contains("| wink-base | wink | baseline | 1e-3 |", "| wink-bnn | wink | BNN attn+conv | 1e-3 | 1 | 0.01 | done | 800 |",
                "| heart-base | blue_heart |", "400-480 (depth 0.");
        assertThat(summary.lines().filter(l -> l.startsWith("| ")).count()).isEqualTo(2 + 3); // header, separator, 3 runs

        // --only: one experiment of a data folder into a figures folder of its own
        Path some = tmp.resolve("only-wink");
        ReproductionReport.Result wink = ReproductionReport.generate(data, some, some.resolve("summary.md"), 12, 1,
                java.util.regex.Pattern.compile("^wink-"));
        assertThat(wink.runs()).extracting(RunData::name).containsExactly("wink-base", "wink-bnn");
        assertThat(some.resolve("wink-overview.png")).exists();
        assertThat(some.resolve("blue_heart-overview.png")).doesNotExist();
        assertThat(some.resolve("strip-heart-base.png")).doesNotExist();
        assertThatThrownBy(() -> ReproductionReport.generate(data, some, some.resolve("s.md"), 12, 1,
                java.util.regex.Pattern.compile("^penguin"))).hasMessageContaining("whose name matches '^penguin'");
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
