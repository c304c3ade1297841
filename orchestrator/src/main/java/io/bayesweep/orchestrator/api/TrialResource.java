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
    @Operation(summary = "One trial with its latest metrics and its corruption-stage verdict")
    public TrialView get(@PathParam("id") String id) {
        return views.trial(id);
    }

    @GET
    @Path("{id}/metrics")
    @Operation(summary = "Every stored eval step of the trial, by step")
    public List<MetricStepView> metrics(@PathParam("id") String id) {
        return views.metricsOf(id);
    }

    @GET
    @Path("{id}/detection")
    @Operation(summary = "The corruption-stage detector replayed over the trial's stored eval points",
            description = "Deterministic: the same verdict as the stored one in the trial view, and as "
                    + "`sweep detect --trace` on the same points. {detector, state, windows: [{onset, end, depth, "
                    + "duration}], points, lastStep}.")
    public DetectionView detection(@PathParam("id") String id) {
        return views.detectionOf(id);
    }
}
