package io.bayesweep.orchestrator.api;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.KafkaTestClient;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SweepApiTest {

    static final String SMOKE = """
            name: smoke
            description: two tiny trials
            method: grid
            metric:
              name: fidelity
              goal: maximize
            parameters:
              kl_weight:
                values: [0, 1.0]
              steps:
                value: 6
              eval_every:
                value: 3
            """;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aSubmittedSweepIsStoredAndEachTrialIsRequestedOnKafka() {
        Response created = given().contentType("application/yaml").body(SMOKE.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/sweeps")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("name", equalTo("smoke"))
                .body("method", equalTo("GRID"))
                .body("state", equalTo("RUNNING"))
                .body("metric.name", equalTo("fidelity"))
                .body("trialCount", equalTo(2))
                .body("trialsByState.PENDING", equalTo(2))
                .extract().response();
        String id = created.path("id");
        assertThat(id).matches("sw-[0-9a-f]{8}");
        assertThat(created.header("Location")).endsWith("/api/sweeps/" + id);

        given().when().get("/api/sweeps/{id}/trials", id)
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("id", hasItems(id + "-t000", id + "-t001"))
                .body("state", everyItemIs("PENDING"))
                .body("[1].params.kl_weight", equalTo(1.0f))
                .body("[1].index", equalTo(1));

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            List<ConsumerRecord<String, String>> requests = kafka.read(Topics.TRIALS,
                    r -> r.key() != null && r.key().startsWith(id), 2, Duration.ofSeconds(30));
            assertThat(requests).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(id + "-t000", id + "-t001");
            for (ConsumerRecord<String, String> record : requests) {
                TrialRequested request = Json.fromBytes(record.value().getBytes(StandardCharsets.UTF_8),
                        TrialRequested.class);
                assertThat(request.trialId()).isEqualTo(record.key());
                assertThat(request.sweepId()).isEqualTo(id);
                assertThat(request.params()).containsKey("kl_weight");
                // Round-robin by index over the 12 partitions, so that idle workers can take them in parallel.
                assertThat(record.partition()).isEqualTo(request.index() % 12);
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/api/trials/{id}", id + "-t000")
                        .then().statusCode(200).body("requestedAt", notNullValue()).body("state", equalTo("PENDING")));
    }

    @Test
    void aSweepCanBeSubmittedAsJson() {
        String json = """
                {"method": "random", "run_cap": 3,
                 "parameters": {"kl_weight": {"min": 0.0, "max": 1.0}, "steps": {"value": 6},
                                "eval_every": {"value": 3}}}
                """;
        given().contentType(ContentType.JSON).body(json).queryParam("seed", 42)
                .when().post("/api/sweeps")
                .then().statusCode(201)
                .body("method", equalTo("RANDOM"))
                .body("seed", equalTo(42))
                .body("trialCount", equalTo(3));
    }

    @Test
    void anInvalidSweepIsRejectedWithThePathOfEveryProblem() {
        given().contentType("text/yaml").body("method: grid\nparameters:\n  kl_weight:\n    values: []\n  bogus_key: 1\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/sweeps")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("errors.path", hasItem(startsWith("parameters.")))
                .body("errors.message", everyItemIs(notNullValue()));
        given().contentType("text/plain").body("method: [grid".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/sweeps")
                .then().statusCode(400)
                .body("errors[0].path", notNullValue());
    }

    @Test
    void unknownIdsAreJson404s() {
        given().when().get("/api/sweeps/sw-00000000").then().statusCode(404).contentType(ContentType.JSON)
                .body("errors[0].message", equalTo("no sweep sw-00000000"));
        given().when().get("/api/sweeps/sw-00000000/trials").then().statusCode(404);
        given().when().post("/api/sweeps/sw-00000000/cancel").then().statusCode(404).contentType(ContentType.JSON);
        given().when().get("/api/trials/sw-00000000-t000").then().statusCode(404)
                .body("errors[0].message", equalTo("no trial sw-00000000-t000"));
        given().when().get("/api/trials/sw-00000000-t000/metrics").then().statusCode(404);
    }

    @Test
    void sweepsAreListedNewestFirst() {
        String older = submit(SMOKE);
        String newer = submit(SMOKE);
        List<String> ids = given().when().get("/api/sweeps").then().statusCode(200).extract().path("id");
        assertThat(ids).containsSubsequence(newer, older);
    }

    @Test
    void openApiAndReadinessAreServed() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/sweeps/{id}/cancel"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItems("tracker-store", "kafka")));
    }

    private static <T> org.hamcrest.Matcher<Iterable<? extends T>> everyItemIs(org.hamcrest.Matcher<T> matcher) {
        return org.hamcrest.Matchers.everyItem(matcher);
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }
}
