package io.bayesweep.orchestrator.health;

import io.bayesweep.orchestrator.store.TrackerStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/** Ready only while the tracker store answers: without it nothing can be submitted or recorded. */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements HealthCheck {

    private final TrackerStore store;

    StoreReadinessCheck(TrackerStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tracker-store").status(store.isReachable(Duration.ofSeconds(3))).build();
    }
}
