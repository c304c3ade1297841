package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.alertmanager.InvalidNotificationException;
import io.bayesweep.orchestrator.artifacts.ArtifactsUnavailableException;
import io.bayesweep.orchestrator.store.StoreException;
import io.bayesweep.orchestrator.sweeps.SweepAlreadyFinishedException;
import io.bayesweep.orchestrator.sweeps.SweepNotFoundException;
import io.bayesweep.sweep.SweepValidationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer has the same JSON shape, {@link ApiError}, so that the CLI prints them one way. */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response invalidSweep(SweepValidationException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError(e.problems().stream()
                .map(p -> new ApiProblem(p.path(), p.message())).toList()));
    }

    @ServerExceptionMapper
    public Response invalidNotification(InvalidNotificationException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError(e.problems().stream()
                .map(p -> new ApiProblem(p.path(), p.message())).toList()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response sweepNotFound(SweepNotFoundException e) {
        return json(Response.Status.NOT_FOUND, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response artifactsUnavailable(ArtifactsUnavailableException e) {
        return json(Response.Status.NOT_FOUND, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response alreadyFinished(SweepAlreadyFinishedException e) {
        return json(Response.Status.CONFLICT, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response storeFailure(StoreException e) {
        LOG.error("tracker store failure", e);
        return json(e.isTransient() ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.INTERNAL_SERVER_ERROR,
                ApiError.of("tracker store: " + e.getCause().getMessage()));
    }

    private static Response json(Response.Status status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
