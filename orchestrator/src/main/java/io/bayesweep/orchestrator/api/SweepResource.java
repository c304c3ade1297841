package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.sweeps.SweepService;
import io.bayesweep.sweep.SweepValidationException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
public class SweepResource {


    private final SweepService sweeps;
    private final SweepViews views;

    SweepResource(SweepService sweeps, SweepViews views) {
        this.sweeps = sweeps;
        this.views = views;
    }

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/plain", MediaType.APPLICATION_JSON})
    @Operation(summary = "Submit a sweep file (W&B sweep YAML, or the same as JSON)",
            description = "Validates and expands the sweep, stores it with its trials and requests the trials on "
                    + "bayesweep.trials. 400 lists every problem with its path in the file.")
    public Response submit(String sweepFile, @QueryParam("seed") @DefaultValue("0") long seed,
                           @Context UriInfo uri) throws SweepValidationException {
        SweepRecord sweep = sweeps.submit(sweepFile == null ? "" : sweepFile, seed);
        return Response.created(uri.getBaseUriBuilder().path("api/sweeps").path(sweep.id()).build())
                .entity(views.sweep(sweep.id()))
                .build();
    }

    @GET
    @Operation(summary = "Sweeps, newest first")
    public List<SweepView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return views.newestSweeps(Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One sweep with its trial counts by state")
    public SweepView get(@PathParam("id") String id) {
        return views.sweep(id);
    }

    @GET
    @Path("{id}/trials")
    @Operation(summary = "The sweep's trials in expansion order, each with its latest metrics and detector verdict")
    public List<TrialView> trials(@PathParam("id") String id) {
        return views.trialsOf(id);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a running sweep",
            description = "Pending trials are cancelled at once; running ones get a STOP and are cancelled when "
                    + "their worker reports it. 409 when the sweep has already finished.")
    public SweepView cancel(@PathParam("id") String id) {
        sweeps.cancel(id);
        return views.sweep(id);
    }
}
