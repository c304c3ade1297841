package io.bayesweep.sweep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;

/** Reads a sweep document (YAML, or JSON, which POST /api/sweeps also takes) into a tree, or says where it breaks. */
final class SweepDocumentReader {
    // A repeated key would otherwise silently win over the first; W&B users hit this when copying blocks.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SweepDocumentReader() {
    }

    static JsonNode read(String text) throws SweepValidationException {
        if (text == null || text.isBlank()) {
            throw documentProblem("the sweep is empty");
        }
        // JSON first when it looks like JSON: JSON allows tab indentation, which YAML refuses.
        if (looksLikeJson(text)) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw documentProblem(describe(e));
            }
        }
        try (JsonParser parser = YAML.createParser(text)) {
            JsonNode root = YAML.readTree(parser);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw documentProblem("the sweep is empty");
            }
            if (parser.nextToken() != null) {
                throw documentProblem("line " + parser.currentLocation().getLineNr()
                        + ": a second YAML document starts here; a sweep file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw documentProblem(describe(e));
        } catch (IOException e) {
            throw documentProblem(e.getMessage());
        }
    }

    private static boolean looksLikeJson(String text) {
        String t = text.strip();
        if (!t.startsWith("{")) {
            return false;
        }
        String inside = t.substring(1).strip();
        return inside.startsWith("\"") || inside.startsWith("}");
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String where = "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            String problem = yaml.getProblem() == null ? "malformed YAML" : yaml.getProblem();
            if (problem.contains("\t") || problem.contains("TAB")) {
                return where + "a tab character is not allowed for indentation in YAML (indent with spaces)";
            }
            String context = yaml.getContext() == null || yaml.getContextMark() == null ? ""
                    : " (" + yaml.getContext() + " at line " + (yaml.getContextMark().getLine() + 1)
                    + ", column " + (yaml.getContextMark().getColumn() + 1) + ")";
            return where + problem + context;
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field ")) {
            message = "duplicate key " + message.substring("Duplicate field ".length());
        }
        if (e.getLocation() != null) {
            return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + message;
        }
        return message;
    }

    private static SweepValidationException documentProblem(String message) {
        return new SweepValidationException(new SweepProblem(SweepProblem.DOCUMENT, message));
    }
}
