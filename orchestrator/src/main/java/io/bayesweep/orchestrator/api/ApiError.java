package io.bayesweep.orchestrator.api;

import java.util.List;

/** The body of every error response: {@code {"errors":[{"path":..,"message":..}]}}. */
public record ApiError(List<ApiProblem> errors) {
    static ApiError of(String message) {
        return new ApiError(List.of(new ApiProblem(null, message)));
    }
}
