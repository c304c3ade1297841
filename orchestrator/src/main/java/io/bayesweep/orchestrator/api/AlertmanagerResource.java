package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.alertmanager.AlertmanagerNotification;
import io.bayesweep.orchestrator.alertmanager.AlertmanagerWebhook;
import io.bayesweep.orchestrator.alertmanager.WebhookReceipt;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Alertmanager's webhook receiver: {@code webhook_configs: [{url: http://orchestrator:8080/api/alertmanager/webhook}]}.
 */
@Path("/api/alertmanager")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertmanagerResource {

    private final AlertmanagerWebhook webhook;

    AlertmanagerResource(AlertmanagerWebhook webhook) {
        this.webhook = webhook;
    }

    /** The body is read as text: a malformed one must be answered with what is wrong, in the API's error shape. */
    @POST
    @Path("webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an Alertmanager webhook notification",
            description = "Alertmanager's webhook JSON (version 4); unknown fields are ignored. Each alert is stored "
                    + "once per (fingerprint, startsAt, status), so repeated and retried notifications store nothing "
                    + "new; its 'sweep' and 'trial' labels link it to a sweep and trial. Answers {received, stored}. "
                    + "400 when the body is not JSON, has no alerts, or an alert lacks fingerprint, status (firing, "
                    + "resolved) or startsAt.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertmanagerNotification.class)))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookReceipt.class)))
    @APIResponse(responseCode = "400", description = "not an Alertmanager notification with alerts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    public WebhookReceipt receive(String body) {
        return webhook.receive(body);
    }
}
