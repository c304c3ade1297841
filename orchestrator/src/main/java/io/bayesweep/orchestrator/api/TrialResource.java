package io.bayesweep.orchestrator.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
public class TrialResource {

    private final SweepViews views;

    TrialResource(SweepViews views) {
        this.views = views;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One trial with its latest metrics")
    public TrialView get(@PathParam("id") String id) {
        return views.trial(id);
    }

    @GET
    @Path("{id}/metrics")
    @Operation(summary = "Every stored eval step of the trial, by step")
    public List<MetricStepView> metrics(@PathParam("id") String id) {
        return views.metricsOf(id);
    }
}
