package io.bayesweep.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The labels of a directory of traces: {@code labels.json} next to the CSV files, mapping each
 * file name to its kind and its labelled corruption windows (docs/detection.md):
 *
 * <pre>
 * {"traces": {
 *    "dip-01.csv":   {"kind": "dip", "windows": [{"onset": 300, "end": 360}]},
 *    "clean-01.csv": {"kind": "clean-plateau", "windows": []},
 *    "stop-01.csv":  {"kind": "early-stop", "windows": [{"onset": 500, "end": null}]}}}
 * </pre>
 *
 * A window's {@code onset} is the first eval step inside the dip, its {@code end} the first eval
 * step back to normal, or null when the trace ends inside the dip. Other keys (a trace's
 * {@code note}, a top-level {@code description}) are allowed and ignored.
 */
public final class TraceLabels {
    public static final String FILE_NAME = "labels.json";

    /** A labelled window: [onset, end) in training steps; end null while the trace ends inside it. */
    public record LabelledWindow(long onset, Long end) {
    }

    /** One labelled trace. */
    public record LabelledTrace(String file, String kind, List<LabelledWindow> windows) {
        public LabelledTrace {
            windows = List.copyOf(windows);
        }
    }

    private TraceLabels() {
    }

    /** Reads {@code dir/labels.json}; every trace it names must exist in {@code dir}. */
    public static List<LabelledTrace> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new TraceFormatException(file.toString(), 0, null, "no such file: the directory needs a "
                    + FILE_NAME + " that labels its traces");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new TraceFormatException(file.toString(), Math.max(line, 0), null, "not JSON: " + e.getOriginalMessage());
        }
        JsonNode traces = root == null ? null : root.get("traces");
        if (traces == null || !traces.isObject()) {
            throw new TraceFormatException(file.toString(), 0, null,
                    "expected an object {\"traces\": {\"FILE.csv\": {\"kind\": ..., \"windows\": [...]}}}");
        }
        List<LabelledTrace> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = traces.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String where = file + ": traces." + name;
            JsonNode trace = entry.getValue();
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new TraceFormatException(file.toString(), 0, null, "traces." + name + ": no such file in " + dir);
            }
            JsonNode windows = trace.get("windows");
            if (windows == null || !windows.isArray()) {
                throw new TraceFormatException(where, 0, null, "expected a 'windows' list (empty for a clean trace)");
            }
            List<LabelledWindow> labelled = new ArrayList<>();
            for (JsonNode w : windows) {
                JsonNode onset = w.get("onset");
                JsonNode end = w.get("end");
                if (onset == null || !onset.canConvertToLong() || !onset.isIntegralNumber()) {
                    throw new TraceFormatException(where, 0, null, "every window needs an integer 'onset'");
                }
                if (end != null && !end.isNull() && !end.isIntegralNumber()) {
                    throw new TraceFormatException(where, 0, null, "a window's 'end' is an integer step or null");
                }
                Long endStep = end == null || end.isNull() ? null : end.asLong();
                if (endStep != null && endStep <= onset.asLong()) {
                    throw new TraceFormatException(where, 0, null, "a window's end must be after its onset");
                }
                labelled.add(new LabelledWindow(onset.asLong(), endStep));
            }
            String kind = trace.hasNonNull("kind") ? trace.get("kind").asText() : "unlabelled-kind";
            result.add(new LabelledTrace(name, kind, labelled));
        }
        return result;
    }
}
