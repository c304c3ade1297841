package io.bayesweep.orchestrator.testing;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;

/** Sweeps for the orchestrator tests, and submitting them through the REST API as the CLI does. */
public final class SweepRequests {
    /** Three 6-step trials evaluated at steps 3 and 6: small enough that a test plays the worker for each. */
    public static final String THREE_TRIALS = """
            name: three
            method: grid
            metric:
              name: fidelity
              goal: maximize
            parameters:
              kl_weight:
                values: [0, 0.5, 1.0]
              steps:
                value: 6
              eval_every:
                value: 3
            """;

    private SweepRequests() {
    }

    /** POST /api/sweeps with a YAML sweep file; asserts 201 and returns the new sweep's id. */
    public static String submit(String yaml) {
        return given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/sweeps")
                .then().statusCode(201)
                .extract().path("id");
    }
}
