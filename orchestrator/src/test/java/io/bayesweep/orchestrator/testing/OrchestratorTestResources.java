package io.bayesweep.orchestrator.testing;

/**
 * How a @QuarkusTest of the orchestrator gets its Kafka broker and PostgreSQL database: annotate the class with
 * <pre>
 * &#64;WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
 * &#64;WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
 * </pre>
 * Classes with the same resources share one application and one broker. Read the broker's address from the
 * configuration ({@code @ConfigProperty(name = "kafka.bootstrap.servers")}), not from the resource class: Quarkus
 * loads resources and tests in different class loaders.
 */
public final class OrchestratorTestResources {
    private OrchestratorTestResources() {
    }
}
