package io.bayesweep.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.bayesweep.detect.DetectorState;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The messages the project writes match the JSON Schemas that docs/schemas/ publishes for other consumers. */
class MessageSchemaTest {
    private static final Path SCHEMAS = Path.of("..", "docs", "schemas");

    @Test
    void trialRequestedMatchesItsSchema() throws IOException {
        var message = TrialRequested.of("sw-1", "sw-1-t000", 0,
                Map.of("kl_weight", 0.1, "bayesian_layers", List.of("conv"), "group", Map.of("lr", 1e-4)));
        assertThat(problems("trial-requested", message)).isEmpty();
    }

    @Test
    void stepMetricsMatchesItsSchema() throws IOException {
        var message = StepMetrics.of("sw-1", "sw-1-t000", 1, 20, 120, "worker-1",
                Map.of("loss", 0.05, "fidelity", 0.7, "noise", 0.02));
        assertThat(problems("step-metrics", message)).isEmpty();
    }

    @Test
    void everyTrialEventTypeMatchesItsSchema() throws IOException {
        for (TrialEvent.Type type : TrialEvent.Type.values()) {
            var message = TrialEvent.of(type, "sw-1", "sw-1-t000", 1, 10, 120, "worker-1",
                    type == TrialEvent.Type.FAILED ? "diverged" : null);
            assertThat(problems("trial-event", message)).as(type.name()).isEmpty();
        }
    }

    @Test
    void controlCommandMatchesItsSchema() throws IOException {
        assertThat(problems("control-command", ControlCommand.stop("sw-1", "sw-1-t000"))).isEmpty();
    }

    @Test
    void corruptionStageEnteredMatchesItsSchema() throws IOException {
        var message = CorruptionStageEntered.of("sw-1", "sw-1-t000", 220, 210, 0.2641, "v1",
                DetectorState.CORRUPTED, Instant.parse("2026-11-28T07:10:00.123456Z"));
        assertThat(problems("corruption-stage-entered", message)).isEmpty();
        JsonNode json = Json.MAPPER.valueToTree(message);
        assertThat(json.get("type").asText()).isEqualTo("ENTERED");
        assertThat(json.has("end")).isFalse();
    }

    @Test
    void corruptionStageExitedMatchesItsSchema() throws IOException {
        for (DetectorState state : List.of(DetectorState.RECOVERING, DetectorState.OVERFIT)) {
            var message = CorruptionStageExited.of("sw-1", "sw-1-t000", 280, 210, 270, 0.2641, "v1", state,
                    Instant.parse("2026-11-28T07:12:00Z"));
            assertThat(problems("corruption-stage-exited", message)).as(state.name()).isEmpty();
        }
    }

    @Test
    void theAlertSchemasTellTheTwoTypesApart() throws IOException {
        var entered = CorruptionStageEntered.of("sw-1", "sw-1-t000", 220, 210, 0.2, "v1", DetectorState.CORRUPTED,
                Instant.now());
        var exited = CorruptionStageExited.of("sw-1", "sw-1-t000", 280, 210, 270, 0.2, "v1",
                DetectorState.RECOVERING, Instant.now());
        assertThat(problems("corruption-stage-exited", entered)).isNotEmpty();
        assertThat(problems("corruption-stage-entered", exited)).isNotEmpty();
        JsonNode noEnd = Json.MAPPER.valueToTree(exited);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noEnd).remove("end");
        assertThat(schema("corruption-stage-exited").validate(noEnd)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("end"));
    }

    @Test
    void alertsRoundTripThroughJson() {
        var entered = CorruptionStageEntered.of("sw-1", "sw-1-t000", 220, 210, 0.2641, "v1",
                DetectorState.CORRUPTED, Instant.parse("2026-11-28T07:10:00.123456Z"));
        var exited = CorruptionStageExited.of("sw-1", "sw-1-t000", 280, 210, 270, 0.2641, "v1",
                DetectorState.OVERFIT, Instant.parse("2026-11-28T07:12:00Z"));
        assertThat(Json.fromBytes(Json.toBytes(entered), CorruptionStageEntered.class)).isEqualTo(entered);
        assertThat(Json.fromBytes(Json.toBytes(exited), CorruptionStageExited.class)).isEqualTo(exited);
    }

    @Test
    void theSchemasRejectAMessageMissingItsTrialId() throws IOException {
        JsonNode json = Json.MAPPER.valueToTree(StepMetrics.of("sw-1", "sw-1-t000", 1, 20, 120, "w", Map.of()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).remove("trialId");
        assertThat(schema("step-metrics").validate(json)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("trialId"));
    }

    @Test
    void aMessageRoundTripsThroughJson() {
        var message = StepMetrics.of("sw-1", "sw-1-t000", 2, 20, 120, "w", Map.of("loss", 0.25));
        assertThat(Json.fromBytes(Json.toBytes(message), StepMetrics.class)).isEqualTo(message);
    }

    @Test
    void malformedJsonNamesTheMessageType() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.fromBytes("{oops".getBytes(), TrialEvent.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageStartingWith("TrialEvent:");
    }

    private static Set<ValidationMessage> problems(String name, Object message) throws IOException {
        return schema(name).validate(Json.MAPPER.valueToTree(message));
    }

    private static JsonSchema schema(String name) throws IOException {
        String text = Files.readString(SCHEMAS.resolve(name + ".schema.json"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(text);
    }
}
