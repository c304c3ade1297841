package io.bayesweep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bayesweep.detect.CorruptionDetector;
import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectionEvaluation;
import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.TraceCsv;
import io.bayesweep.detect.TraceFormatException;
import io.bayesweep.detect.Verdict;
import io.bayesweep.messages.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run the corruption-stage detector (docs/detection.md) over a trial's eval points and print "
                + "its verdict as JSON: {\"detector\", \"state\", \"windows\": [{\"onset\", \"end\", \"depth\", "
                + "\"duration\"}]}.",
                "TRIAL replays a stored trial (GET /api/trials/TRIAL/metrics); --trace reads a CSV file "
                        + "(columns step, fidelity, noise, optional diversity, memorization, sigma1, loss); "
                        + "--evaluate scores the detector on a directory of labelled traces (CSV files + labels.json).",
                "--detector picks the parameter version (default v3; v1 and v2 replay verdicts stored by them).",
                "Exit 2 with one line if the trace or the command line is invalid."})
final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "TRIAL", arity = "0..1", description = "Trial id to replay through the orchestrator's API.")
    String trialId;

    @Option(names = "--trace", paramLabel = "FILE", description = "CSV file of eval-step metrics to run the detector over.")
    Path trace;

    @Option(names = "--evaluate", paramLabel = "DIR",
            description = "Directory of labelled traces: print precision, recall, F1, onset delays and false alarms.")
    Path evaluate;

    @Option(names = "--detector", paramLabel = "VERSION",
            description = "Detector parameter version: v3 (the default, the orchestrator's), or v2 or v1 (to "
                    + "replay verdicts stored by them).")
    String detector;

    @Override
    public Integer call() {
        int given = (trialId != null ? 1 : 0) + (trace != null ? 1 : 0) + (evaluate != null ? 1 : 0);
        if (given != 1) {
            throw new CliException("detect needs exactly one of TRIAL, --trace FILE or --evaluate DIR", ExitCodes.INVALID);
        }
        PrintWriter out = spec.commandLine().getOut();
        DetectorParams params = params();
        if (evaluate != null) {
            evaluate(params).lines().forEach(out::println);
        } else {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("detector", params.version());
            List<EvalPoint> points;
            if (trialId != null) {
                result.put("trial", trialId);
                points = points(orchestrator.client().metrics(trialId));
            } else {
                points = readTrace(trace);
            }
            CorruptionDetector detector = new CorruptionDetector(params);
            Verdict verdict = null;
            for (EvalPoint point : points) {
                verdict = detector.observe(point);
            }
            result.put("state", detector.state().name());
            result.put("windows", detector.windows().stream().map(DetectCommand::window).toList());
            result.put("points", points.size());
            result.put("lastStep", verdict == null ? null : verdict.step());
            try {
                out.println(Json.MAPPER.writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private DetectorParams params() {
        if (detector == null) {
            return DetectorParams.defaults();
        }
        return DetectorParams.released(detector).orElseThrow(() -> new CliException("unknown detector version '"
                + detector + "' (known: " + String.join(", ", DetectorParams.releasedVersions()) + ")",
                ExitCodes.INVALID));
    }

    private DetectionEvaluation.Report evaluate(DetectorParams params) {
        if (!Files.isDirectory(evaluate)) {
            throw new CliException(evaluate + ": cannot read: " + (Files.exists(evaluate) ? "not a directory" : "no such directory"),
                    ExitCodes.INVALID);
        }
        try {
            return DetectionEvaluation.evaluate(evaluate, params);
        } catch (TraceFormatException e) {
            throw new CliException(e.getMessage(), ExitCodes.INVALID);
        } catch (IOException e) {
            throw new CliException(evaluate + ": cannot read: " + why(e), ExitCodes.INVALID);
        }
    }

    static List<EvalPoint> readTrace(Path file) {
        try {
            return TraceCsv.read(file);
        } catch (TraceFormatException e) {
            throw new CliException(e.getMessage(), ExitCodes.INVALID);
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": cannot read: no such file", ExitCodes.INVALID);
        } catch (AccessDeniedException e) {
            throw new CliException(file + ": cannot read: permission denied", ExitCodes.INVALID);
        } catch (IOException e) {
            throw new CliException(file + ": cannot read: " + (Files.isDirectory(file) ? "is a directory" : why(e)),
                    ExitCodes.INVALID);
        }
    }

    /** A stored trial's eval steps as detector points, by step (a repeated step is kept once, the first). */
    static List<EvalPoint> points(List<MetricStepView> steps) {
        return EvalPoint.byStep(steps, MetricStepView::step, MetricStepView::metrics);
    }

    private static Map<String, Object> window(CorruptionWindow w) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("onset", w.onset());
        json.put("end", w.end());
        json.put("depth", BigDecimal.valueOf(w.depth()).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros());
        json.put("duration", w.duration());
        return json;
    }

    private static String why(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
