package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.orchestrator.testing.PrometheusScrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Alertmanager's webhook: notifications stored once per alert, listed newest first, bad bodies answered with 400. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AlertmanagerWebhookTest {

    private static final String RECEIVED = "bayesweep_alertmanager_alerts_received_total";

    /** Alertmanager 0.28's webhook body, as it sends it (Go's zero time for "no end", nanosecond starts). */
    private static String notification(String status, String fingerprintA, String fingerprintB, String endsAtA) {
        return """
                {
                  "receiver": "bayesweep-orchestrator",
                  "status": "%1$s",
                  "alerts": [
                    {
                      "status": "%1$s",
                      "labels": {"alertname": "BayesweepTrialCorrupted", "severity": "warning",
                                 "sweep": "sw-1a2b3c4d", "trial": "sw-1a2b3c4d-t003", "job": "bayesweep-orchestrator"},
                      "annotations": {"summary": "trial sw-1a2b3c4d-t003 entered the corruption stage"},
                      "startsAt": "2026-12-06T10:15:30.123456789Z",
                      "endsAt": "%4$s",
                      "generatorURL": "http://prometheus:9090/graph?g0.expr=bayesweep_corruption_active+%%3D%%3D+1",
                      "fingerprint": "%2$s",
                      "silencedBy": null
                    },
                    {
                      "status": "firing",
                      "labels": {"alertname": "BayesweepTrialStalled", "sweep": "sw-1a2b3c4d"},
                      "annotations": {},
                      "startsAt": "2026-12-06T11:15:30+01:00",
                      "endsAt": "0001-01-01T00:00:00Z",
                      "generatorURL": "http://prometheus:9090/graph",
                      "fingerprint": "%3$s"
                    }
                  ],
                  "groupLabels": {"alertname": "BayesweepTrialCorrupted"},
                  "commonLabels": {"sweep": "sw-1a2b3c4d"},
                  "commonAnnotations": {},
                  "externalURL": "http://alertmanager:9093",
                  "version": "4",
                  "groupKey": "{}:{alertname=\\"BayesweepTrialCorrupted\\"}",
                  "truncatedAlerts": 0
                }
                """.formatted(status, fingerprintA, fingerprintB, endsAtA);
    }

    private static String fingerprint() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static JsonPath post(String body, int status) {
        return given().contentType("application/json").body(body)
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(status).extract().jsonPath();
    }

    /**
     * The listed alerts of these fingerprints, in the list's order (other tests' alerts share the store): newest
     * delivery first, the alerts of one delivery by start, newest first.
     */
    private static List<Map<String, Object>> listed(String... fingerprints) {
        List<Map<String, Object>> all = given().when().get("/api/alerts?limit=1000")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(a -> List.of(fingerprints).contains(a.get("fingerprint"))).toList();
    }

    @Test
    void aNotificationIsStoredOncePerAlertAndListedNewestFirst() {
        String a = fingerprint();
        String b = fingerprint();
        double before = PrometheusScrape.scrape().sum(RECEIVED, Map.of());

        JsonPath first = post(notification("firing", a, b, "0001-01-01T00:00:00Z"), 200);
        assertThat(first.getInt("received")).isEqualTo(2);
        assertThat(first.getInt("stored")).isEqualTo(2);
        // Alertmanager's repeat_interval, or a retry: nothing new.
        JsonPath again = post(notification("firing", a, b, "0001-01-01T00:00:00Z"), 200);
        assertThat(again.getInt("stored")).isZero();
        JsonPath resolved = post(notification("resolved", a, b, "2026-12-06T10:25:30.5Z"), 200);
        assertThat(resolved.getInt("stored")).as("the resolution of the first alert").isEqualTo(1);

        List<Map<String, Object>> alerts = listed(a, b);
        assertThat(alerts).extracting(m -> m.get("fingerprint") + "/" + m.get("status"))
                .containsExactly(a + "/resolved", a + "/firing", b + "/firing");
        Map<String, Object> latest = alerts.get(0);
        assertThat(latest).containsEntry("alertname", "BayesweepTrialCorrupted")
                .containsEntry("sweepId", "sw-1a2b3c4d")
                .containsEntry("trialId", "sw-1a2b3c4d-t003")
                .containsEntry("startsAt", "2026-12-06T10:15:30.123456Z")
                .containsEntry("endsAt", "2026-12-06T10:25:30.5Z")
                .containsEntry("receiver", "bayesweep-orchestrator");
        assertThat(latest.get("labels")).isEqualTo(Map.of("alertname", "BayesweepTrialCorrupted",
                "severity", "warning", "sweep", "sw-1a2b3c4d", "trial", "sw-1a2b3c4d-t003",
                "job", "bayesweep-orchestrator"));
        assertThat(latest.get("annotations"))
                .isEqualTo(Map.of("summary", "trial sw-1a2b3c4d-t003 entered the corruption stage"));
        Map<String, Object> sweepWide = alerts.get(2);
        assertThat(sweepWide.get("trialId")).isNull();
        assertThat(sweepWide.get("endsAt")).as("Go's zero time is no end").isNull();
        assertThat(sweepWide.get("startsAt")).isEqualTo("2026-12-06T10:15:30Z");
        assertThat(alerts.get(1).get("endsAt")).isNull();

        given().when().get("/api/alerts?limit=1").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].fingerprint", equalTo(a)).body("[0].status", equalTo("resolved"));
        assertThat(PrometheusScrape.scrape().sum(RECEIVED, Map.of()) - before).isEqualTo(6);
    }

    @Test
    void aBodyThatIsNotANotificationWithAlertsIsRefusedWith400AndStoresNothing() {
        double before = PrometheusScrape.scrape().sum(RECEIVED, Map.of());
        given().contentType("application/json").body("{\"alerts\": [{\"status\": \"firing\", ")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].message", startsWith("malformed JSON: "));
        given().contentType("application/json").body("{\"receiver\": \"x\", \"status\": \"firing\"}")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].path", equalTo("alerts"))
                .body("errors[0].message", containsString("no alerts"));
        given().contentType("application/json").body("{\"alerts\": []}")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].message", containsString("empty"));
        given().contentType("application/json").body("{\"alerts\": \"BayesweepTrialCorrupted\"}")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].message", containsString("list"));
        given().contentType("application/json").body("[]")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].message", containsString("JSON object"));
        given().contentType("application/json").body("")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].message", containsString("empty"));
        given().contentType("application/json").body("{\"alerts\": [{\"labels\": \"x\"}]}")
                .when().post("/api/alertmanager/webhook")
                .then().statusCode(400).body("errors[0].path", equalTo("alerts[0].labels"));

        // Every problem of every alert, with where it is; the good alert of the same body is not stored either.
        String good = fingerprint();
        String body = """
                {"version": "4", "alerts": [
                  {"status": "firing", "labels": {"alertname": "A"}, "startsAt": "2026-12-06T10:00:00Z",
                   "fingerprint": "%s"},
                  {"status": "pending", "labels": {"alertname": "B"}, "startsAt": "yesterday"}
                ]}""".formatted(good);
        JsonPath refused = post(body, 400);
        assertThat(refused.getList("errors.path")).containsExactly("alerts[1].fingerprint", "alerts[1].status",
                "alerts[1].startsAt");
        assertThat(refused.getList("errors.message", String.class)).containsExactly("missing",
                "'pending' is not firing or resolved", "'yesterday' is not an RFC 3339 time");
        assertThat(listed(good)).isEmpty();
        assertThat(PrometheusScrape.scrape().sum(RECEIVED, Map.of())).isEqualTo(before);
    }

    @Test
    void theOpenApiDocumentDescribesTheWebhookAndTheList() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/alertmanager/webhook'.post.summary", startsWith("Receive an Alertmanager"))
                .body("paths.'/api/alertmanager/webhook'.post.responses.'400'.description",
                        containsString("Alertmanager"))
                .body("paths.'/api/alerts'.get.parameters.name", hasItem("limit"))
                .body("components.schemas.AlertmanagerNotification.properties.alerts.type", equalTo("array"));
    }
}
