package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.worker.DirectoryArtifactStore;
import io.bayesweep.orchestrator.testing.SweepRequests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * The sample grids a worker wrote into the shared artifact store (written here with the worker's own
 * DirectoryArtifactStore, so the file names are the worker's), served for a trial stored through the API.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SampleApiTest {

    static final String SECRET = "SECRET-BYTES";

    @ConfigProperty(name = "bayesweep.artifacts.dir")
    Path artifacts;

    String sweepId;
    String trialId;
    String otherTrialId;

    @BeforeEach
    void storedSweepWithGrids() throws Exception {
        sweepId = SweepRequests.submit(SweepApiTest.SMOKE);
        trialId = sweepId + "-t000";
        otherTrialId = sweepId + "-t001";
        Files.createDirectories(artifacts);
        DirectoryArtifactStore store = new DirectoryArtifactStore(artifacts);
        for (long step : new long[] {12, 3, 6}) {
            store.writeSampleGrid(trialId, step, png(trialId, step));
        }
        // A write in progress, something else in the folder, and grids the trial must never reach.
        Path samples = artifacts.resolve(trialId).resolve("samples");
        Files.write(samples.resolve("step-000009.png.tmp"), png(trialId, 9));
        Files.writeString(samples.resolve("notes.txt"), "not a grid");
        Files.write(artifacts.resolve("secret.png"), SECRET.getBytes(StandardCharsets.UTF_8));
        Path elsewhere = Files.createDirectories(artifacts.resolve("not-a-trial").resolve("samples"));
        Files.write(elsewhere.resolve("step-000003.png"), SECRET.getBytes(StandardCharsets.UTF_8));
    }

    /** Not a real PNG: the bytes only need to say whose grid they are. */
    static byte[] png(String trialId, long step) {
        return ("\u0089PNG " + trialId + " step " + step).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theStepsWithAGridAreListedByStepWithTheirUrls() {
        given().when().get("/api/trials/{id}/samples", trialId)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("step", equalTo(List.of(3, 6, 12)))
                .body("url", equalTo(List.of(
                        "/api/trials/" + trialId + "/samples/3.png",
                        "/api/trials/" + trialId + "/samples/6.png",
                        "/api/trials/" + trialId + "/samples/12.png")));
        // A trial no worker has written a grid for yet.
        given().when().get("/api/trials/{id}/samples", otherTrialId)
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void eachListedUrlServesThatStepsPng() {
        List<String> urls = given().when().get("/api/trials/{id}/samples", trialId)
                .then().statusCode(200).extract().jsonPath().getList("url", String.class);
        for (String url : urls) {
            long step = Long.parseLong(url.substring(url.lastIndexOf('/') + 1, url.length() - ".png".length()));
            Response r = given().when().get(url).then().statusCode(200).contentType("image/png").extract().response();
            assertThat(r.asByteArray()).isEqualTo(png(trialId, step));
            assertThat(r.header("Bayesweep-Sample-Step")).isEqualTo(Long.toString(step));
        }
        assertThat(given().when().get("/api/trials/{id}/samples/6", trialId)
                .then().statusCode(200).contentType("image/png").extract().asByteArray())
                .isEqualTo(png(trialId, 6));
    }

    @Test
    void latestServesTheNewestGridAndTheTrialViewLinksIt() {
        Response latest = given().when().get("/api/trials/{id}/samples/latest", trialId)
                .then().statusCode(200).contentType("image/png").extract().response();
        assertThat(latest.asByteArray()).isEqualTo(png(trialId, 12));
        assertThat(latest.header("Bayesweep-Sample-Step")).isEqualTo("12");

        String url = "/api/trials/" + trialId + "/samples/12.png";
        given().when().get("/api/trials/{id}", trialId).then().statusCode(200).body("latestSampleUrl", equalTo(url));
        given().when().get("/api/trials/{id}", otherTrialId).then().statusCode(200)
                .body("latestSampleUrl", nullValue());
        given().when().get("/api/sweeps/{id}/trials", sweepId).then().statusCode(200)
                .body("latestSampleUrl", equalTo(java.util.Arrays.asList(url, null)));
    }

    @Test
    void unknownTrialsAndStepsWithoutAGridAreJson404s() {
        for (String path : List.of("/api/trials/sw-00000000-t000/samples", "/api/trials/sw-00000000-t000/samples/3",
                "/api/trials/sw-00000000-t000/samples/latest")) {
            given().when().get(path).then().statusCode(404).contentType(ContentType.JSON)
                    .body("errors[0].message", equalTo("no trial sw-00000000-t000"));
        }
        // Step 9 is only a .tmp file: a write still in progress is never served.
        for (String step : List.of("9", "9.png", "7")) {
            given().when().get("/api/trials/{id}/samples/{step}", trialId, step)
                    .then().statusCode(404).contentType(ContentType.JSON)
                    .body("errors[0].message", equalTo("trial " + trialId + " has no sample grid at step "
                            + step.replace(".png", "")));
        }
        for (String step : List.of("abc", "3.jpg", "-3", "3.png.tmp", "step-000003.png")) {
            given().when().get("/api/trials/{id}/samples/{step}", trialId, step)
                    .then().statusCode(404).contentType(ContentType.JSON)
                    .body("errors[0].message", containsString("is not a step"));
        }
        given().when().get("/api/trials/{id}/samples/latest", otherTrialId)
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("errors[0].message", equalTo("trial " + otherTrialId + " has no sample grid yet"));
    }

    @Test
    void pathTraversalIsRefused() {
        // Encoded slashes, dots and NULs reach the endpoints inside one segment: neither a trial id nor a step.
        List<String> refused = List.of(
                "/api/trials/" + trialId + "/samples/..%2F..%2Fnot-a-trial%2Fsamples%2F3",
                "/api/trials/" + trialId + "/samples/..%2F..%2Fsecret.png",
                "/api/trials/" + trialId + "/samples/%2e%2e%2f%2e%2e%2fsecret.png",
                "/api/trials/" + trialId + "/samples/3%00.png",
                "/api/trials/" + trialId + "/samples/%2e%2e/%2e%2e/not-a-trial/samples/3",
                "/api/trials/..%2Fnot-a-trial/samples/3",
                "/api/trials/..%2F..%2Fnot-a-trial/samples",
                "/api/trials/" + trialId + "%2F..%2F..%2Fnot-a-trial/samples/3",
                "/api/trials/" + trialId + "%2F..%2F..%2Fnot-a-trial/samples/latest",
                "/api/trials/" + trialId + "%00/samples/3",
                "/api/trials/not-a-trial/samples/3",
                "/api/trials/not-a-trial/samples");
        for (String path : refused) {
            Response r = given().urlEncodingEnabled(false).when().get(path).then().extract().response();
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.contentType()).as(path).startsWith("application/json");
            assertThat(r.jsonPath().getString("errors[0].message")).as(path).isNotBlank();
            assertThat(r.asString()).as(path).doesNotContain(SECRET);
        }
        // Plain dot segments are resolved by the HTTP server before routing (RFC 3986): ".../samples/.." is the
        // trial itself, and nothing climbs above the API's paths.
        for (String path : List.of("/api/trials/" + trialId + "/samples/..", "/api/trials/" + trialId + "/samples/%2e%2e")) {
            given().urlEncodingEnabled(false).when().get(path).then().statusCode(200).contentType(ContentType.JSON)
                    .body("id", equalTo(trialId));
        }
        for (String path : List.of("/api/trials/%2e%2e/samples", "/api/trials/%2e%2e/samples/latest",
                "/api/trials/" + trialId + "/samples/../../../secret.png",
                "/api/trials/" + trialId + "/samples/%2e%2e/%2e%2e/%2e%2e/secret.png")) {
            Response r = given().urlEncodingEnabled(false).when().get(path).then().extract().response();
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.contentType()).as(path).doesNotStartWith("image/png");
            assertThat(r.asString()).as(path).doesNotContain(SECRET);
        }
    }

    @Test
    void anImpossibleTrialIdIsA404OnEveryTrialEndpoint() {
        for (String path : List.of("/api/trials/" + trialId + "%00", "/api/trials/" + trialId + "%00/metrics",
                "/api/trials/" + trialId + "%00/detection")) {
            given().urlEncodingEnabled(false).when().get(path).then().statusCode(404).contentType(ContentType.JSON)
                    .body("errors[0].message", containsString("no trial"));
        }
    }

    @Test
    void aMissingArtifactsDirectoryIsAClearJson404() throws Exception {
        Path aside = artifacts.resolveSibling(artifacts.getFileName() + "-aside");
        Files.move(artifacts, aside);
        try {
            for (String path : List.of("/api/trials/{id}/samples", "/api/trials/{id}/samples/3",
                    "/api/trials/{id}/samples/latest")) {
                given().when().get(path, trialId).then().statusCode(404).contentType(ContentType.JSON)
                        .body("errors[0].message", containsString("the artifacts directory "
                                + artifacts.toAbsolutePath().normalize() + " does not exist or cannot be read"))
                        .body("errors[0].message", containsString("BAYESWEEP_ARTIFACTS_DIR"));
            }
            given().when().get("/api/trials/{id}", trialId).then().statusCode(200)
                    .body("latestSampleUrl", nullValue());
        } finally {
            Files.move(aside, artifacts);
        }
        given().when().get("/api/trials/{id}/samples/3", trialId).then().statusCode(200);
    }
}
