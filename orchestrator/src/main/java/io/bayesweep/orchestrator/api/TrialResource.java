package io.bayesweep.orchestrator.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
public class TrialResource {

    static final String PNG = "image/png";
    /** The step of the grid in a PNG answer (for {@code latest}, the newest step). */
    static final String STEP_HEADER = "Bayesweep-Sample-Step";

    private final SweepViews views;
    private final TrialSamples samples;

    TrialResource(SweepViews views, TrialSamples samples) {
        this.views = views;
        this.samples = samples;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One trial with its latest metrics and its corruption-stage verdict")
    public TrialView get(@PathParam("id") String id) {
        return views.trial(known(id));
    }

    @GET
    @Path("{id}/metrics")
    @Operation(summary = "Every stored eval step of the trial, by step")
    public List<MetricStepView> metrics(@PathParam("id") String id) {
        return views.metricsOf(known(id));
    }

    @GET
    @Path("{id}/detection")
    @Operation(summary = "The corruption-stage detector replayed over the trial's stored eval points",
            description = "Deterministic: the same verdict as the stored one in the trial view, and as "
                    + "`sweep detect --trace` on the same points. {detector, state, windows: [{onset, end, depth, "
                    + "duration}], points, lastStep}.")
    public DetectionView detection(@PathParam("id") String id) {
        return views.detectionOf(known(id));
    }

    @GET
    @Path("{id}/samples")
    @Operation(summary = "The eval steps of the trial that have a sample grid (PNG), by step",
            description = "[{step, url}]: url serves the PNG. Read from the artifact store the workers write to "
                    + "(bayesweep.artifacts.dir); 404 when the trial is unknown or that directory cannot be read.")
    public List<SampleView> samples(@PathParam("id") String id) {
        return samples.list(id);
    }

    @GET
    @Path("{id}/samples/latest")
    @Produces(PNG)
    @Operation(summary = "The trial's newest sample grid (PNG)",
            description = "Its step is in the Bayesweep-Sample-Step header. 404 (JSON) when there is none yet.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = PNG))
    public Response latestSample(@PathParam("id") String id) {
        TrialSamples.Grid grid = samples.latest(id);
        return Response.ok(grid.png(), PNG).header(STEP_HEADER, grid.step()).header("Cache-Control", "no-cache")
                .build();
    }

    @GET
    @Path("{id}/samples/{step}")
    @Produces(PNG)
    @Operation(summary = "The sample grid (PNG) of one eval step: /samples/30 or /samples/30.png",
            description = "404 (JSON) when the step is not a number or has no grid.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = PNG))
    public Response sample(@PathParam("id") String id, @PathParam("step") String step) {
        TrialSamples.Grid grid = samples.step(id, step);
        return Response.ok(grid.png(), PNG).header(STEP_HEADER, grid.step()).build();
    }

    /** A trial id that cannot exist (bytes the database refuses, such as NUL) is a 404, not a 500. */
    private static String known(String id) {
        if (!io.bayesweep.orchestrator.artifacts.SampleGrids.isSafeTrialId(id)) {
            throw new NotFoundException("no trial " + id.replace("\0", "\\0"));
        }
        return id;
    }
}
