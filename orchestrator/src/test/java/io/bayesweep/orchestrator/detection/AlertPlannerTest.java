package io.bayesweep.orchestrator.detection;

import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.DetectorState;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.TraceCsv;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.AlertRecord.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The alert decisions over replays, without a store: what the outbox would hold after each arrival. */
class AlertPlannerTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 28, 7, 0, 0, 0, ZoneOffset.UTC);

    static List<EvalPoint> trace(String name) throws IOException {
        try (var in = AlertPlannerTest.class.getResourceAsStream("/traces/" + name)) {
            assertThat(in).as(name).isNotNull();
            return TraceCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        }
    }

    /** Stores points as they arrive (a repeated step once, the first), replays after each new one, keeps the alerts. */
    static List<AlertRecord> feed(List<EvalPoint> arrivals) {
        TreeMap<Long, EvalPoint> stored = new TreeMap<>();
        Map<String, AlertRecord> alerts = new LinkedHashMap<>();
        for (EvalPoint p : arrivals) {
            if (stored.putIfAbsent(p.step(), p) != null) {
                continue;
            }
            DetectionReplay replay = DetectionReplay.replay(new ArrayList<>(stored.values()), DetectorParams.defaults());
            for (AlertRecord a : AlertPlanner.plan("sw-1", "sw-1-t000", replay, List.copyOf(alerts.values()), NOW)) {
                assertThat(alerts.putIfAbsent(a.key(), a)).as("decided twice: %s", a.key()).isNull();
            }
        }
        return List.copyOf(alerts.values());
    }

    static List<AlertRecord> of(List<AlertRecord> alerts, Kind kind) {
        return alerts.stream().filter(a -> a.kind() == kind).toList();
    }

    @Test
    void aDipInStepOrderIsEnteredOnceAndExitedOnce() throws IOException {
        List<EvalPoint> points = trace("dip-01.csv");
        DetectionReplay whole = DetectionReplay.replay(points, DetectorParams.defaults());
        assertThat(whole.windows()).hasSize(1);
        CorruptionWindow w = whole.windows().get(0);

        List<AlertRecord> alerts = feed(points);

        assertThat(alerts).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
        AlertRecord entered = alerts.get(0);
        AlertRecord exited = alerts.get(1);
        assertThat(entered.onset()).isEqualTo(w.onset()).isEqualTo(210);
        assertThat(entered.step()).isEqualTo(whole.enteredAt().get(210L).step()).isGreaterThanOrEqualTo(210);
        assertThat(entered.state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(entered.end()).isNull();
        assertThat(exited.onset()).isEqualTo(210);
        assertThat(exited.end()).isEqualTo(w.end()).isEqualTo(270);
        assertThat(exited.depth()).isEqualTo(w.depth());
        assertThat(exited.step()).isGreaterThanOrEqualTo(270);
        assertThat(exited.state()).isIn(DetectorState.RECOVERING, DetectorState.OVERFIT);
        assertThat(exited.message()).hasFieldOrPropertyWithValue("end", 270L);
    }

    @Test
    void repeatedAndSwappedPointsAddNoAlert() throws IOException {
        List<EvalPoint> points = trace("dip-01.csv");
        List<EvalPoint> arrivals = new ArrayList<>(points);
        // a takeover: steps 150..300 again, then everything once more
        arrivals.addAll(points.subList(14, 30));
        arrivals.addAll(points);
        // and neighbours swapped everywhere, the onset and the end included
        List<EvalPoint> swapped = new ArrayList<>(points);
        for (int i = 0; i + 1 < swapped.size(); i += 2) {
            Collections.swap(swapped, i, i + 1);
        }

        assertThat(feed(arrivals)).extracting(AlertRecord::kind, AlertRecord::onset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.ENTERED, 210L),
                        org.assertj.core.groups.Tuple.tuple(Kind.EXITED, 210L));
        assertThat(feed(swapped)).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED, Kind.EXITED);
    }

    @Test
    void aLateOnsetPointDoesNotAnnounceTheWindowAgain() throws IOException {
        List<EvalPoint> points = new ArrayList<>(trace("dip-01.csv"));
        EvalPoint onset = points.stream().filter(p -> p.step() == 210).findFirst().orElseThrow();
        points.remove(onset);
        points.add(onset); // the onset's point arrives last, after the window opened at 220 and closed

        List<AlertRecord> alerts = feed(points);

        assertThat(of(alerts, Kind.ENTERED)).hasSize(1);
        assertThat(of(alerts, Kind.EXITED)).hasSize(1);
        // the exit keeps the onset the entry announced
        assertThat(of(alerts, Kind.EXITED).get(0).onset()).isEqualTo(of(alerts, Kind.ENTERED).get(0).onset());
    }

    @Test
    void aCleanTraceHasNoAlert() throws IOException {
        assertThat(feed(trace("clean-plateau-01.csv"))).isEmpty();
    }

    @Test
    void anOpenWindowIsEnteredButNotExited() throws IOException {
        List<EvalPoint> points = trace("dip-01.csv").stream().filter(p -> p.step() <= 240).toList();

        assertThat(feed(points)).extracting(AlertRecord::kind).containsExactly(Kind.ENTERED);
    }

    /** Every labelled synthetic trace: in step order, with repeats and with swapped neighbours, one alert per transition. */
    @Test
    void everySyntheticTraceGetsOneAlertPerTransitionWhateverTheRepeatsAndSwaps() throws IOException {
        Path dir = Path.of("../core/src/test/resources/traces/synthetic");
        assumeTrue(Files.isDirectory(dir), "run from the orchestrator module of a checkout");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        Random random = new Random(7);
        int windows = 0;
        for (Path file : files) {
            List<EvalPoint> points = TraceCsv.read(file);
            DetectionReplay whole = DetectionReplay.replay(points, DetectorParams.defaults());
            long closed = whole.windows().stream().filter(w -> w.end() != null).count();
            windows += whole.windows().size();

            List<EvalPoint> repeated = new ArrayList<>(points);
            int from = random.nextInt(points.size());
            repeated.addAll(from, points.subList(Math.max(0, from - 8), from)); // a takeover repeats the last 8
            List<EvalPoint> swapped = new ArrayList<>(points);
            for (int i = random.nextInt(2); i + 1 < swapped.size(); i += 2 + random.nextInt(3)) {
                Collections.swap(swapped, i, i + 1);
            }
            for (List<EvalPoint> arrivals : List.of(points, repeated, swapped)) {
                List<AlertRecord> alerts = feed(arrivals);
                assertThat(of(alerts, Kind.ENTERED)).as(file.getFileName().toString())
                        .extracting(AlertRecord::onset)
                        .containsExactlyElementsOf(whole.windows().stream().map(CorruptionWindow::onset).toList());
                assertThat(of(alerts, Kind.EXITED)).as(file.getFileName().toString()).hasSize((int) closed);
            }
        }
        assertThat(windows).isGreaterThan(30);
    }
}
