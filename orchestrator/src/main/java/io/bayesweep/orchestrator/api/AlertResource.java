package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.store.TrackerStore;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertResource {

    private final TrackerStore store;

    AlertResource(TrackerStore store) {
        this.store = store;
    }

    @GET
    @Operation(summary = "The alerts Alertmanager delivered to the webhook, newest first",
            description = "One entry per (fingerprint, startsAt, status): a resolved alert is listed again with "
                    + "status 'resolved'. limit: 1 to 1000, default 100.")
    public List<ReceivedAlertView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        int bounded = Math.max(1, Math.min(limit, 1000));
        return store.read(c -> store.receivedAlerts().listNewestFirst(c, bounded)).stream()
                .map(ReceivedAlertView::of).toList();
    }
}
