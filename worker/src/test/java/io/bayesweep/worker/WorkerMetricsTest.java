package io.bayesweep.worker;

import io.bayesweep.model.EvalReport;
import io.bayesweep.model.StepReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker's meters, driven through the same callbacks the model makes, read back from a real scrape. */
class WorkerMetricsTest {
    private static final Map<String, String> TRIAL = Map.of("sweep", "sw", "trial", "sw-t000", "worker", "w1");
    private static final Map<String, String> WORKER = Map.of("worker", "w1");

    private WorkerMetrics metrics;

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void publishesTheTrialAsItTrainsUnderTheContractNames() {
        metrics = new WorkerMetrics("w1", Duration.ofMinutes(10));
        assertThat(scrape().value("bayesweep_worker_busy", WORKER)).hasValue(0);

        TrialMeters attempt = metrics.attemptStarted("sw", "sw-t000");
        attempt.onStart(0, 6);
        PrometheusText page = scrape();
        assertThat(page.value("bayesweep_worker_busy", WORKER)).hasValue(1);
        assertThat(page.value("bayesweep_worker_trial_step", TRIAL)).hasValue(0);
        assertThat(page.named("bayesweep_worker_trial_fidelity")).as("no value before the first eval").isEmpty();

        attempt.onStep(new StepReport(1, 6, 0.5, 0.25, Map.of()));
        attempt.onStep(new StepReport(2, 6, 0.4, 0.2, Map.of()));
        attempt.onEval(new EvalReport(2, 6, Map.of("loss", 0.45, "kl", 0.2, "fidelity", 0.7, "noise", 0.1,
                "diversity", 0.3, "memorization", 0.05), List.of(), new byte[0]));
        attempt.onCheckpoint(2);

        page = scrape();
        assertThat(page.value("bayesweep_worker_trial_step", TRIAL)).hasValue(2);
        assertThat(page.value("bayesweep_worker_trial_loss", TRIAL)).as("the step's training loss").hasValue(0.4);
        assertThat(page.value("bayesweep_worker_trial_fidelity", TRIAL)).hasValue(0.7);
        assertThat(page.value("bayesweep_worker_trial_noise", TRIAL)).hasValue(0.1);
        assertThat(page.value("bayesweep_worker_trial_diversity", TRIAL)).hasValue(0.3);
        assertThat(page.value("bayesweep_worker_trial_kl", TRIAL)).hasValue(0.2);
        assertThat(page.namesStartingWith("bayesweep_worker_trial_")).as("only the contract's gauges").containsExactly(
                "bayesweep_worker_trial_diversity", "bayesweep_worker_trial_fidelity", "bayesweep_worker_trial_kl",
                "bayesweep_worker_trial_loss", "bayesweep_worker_trial_noise", "bayesweep_worker_trial_step");
        assertThat(page.value("bayesweep_worker_step_duration_seconds_count", WORKER)).hasValue(2);
        assertThat(page.named("bayesweep_worker_step_duration_seconds_bucket"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("le", "+Inf"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("le", "0.1"));
        assertThat(page.value("bayesweep_worker_steps_per_second", WORKER).orElseThrow()).isPositive();
        assertThat(page.named("jvm_memory_used_bytes")).anySatisfy(s -> assertThat(s.labels())
                .containsEntry("area", "heap").containsEntry("worker", "w1"));

        metrics.attemptEnded(attempt, false);
        page = scrape();
        assertThat(page.value("bayesweep_worker_busy", WORKER)).hasValue(0);
        assertThat(page.value("bayesweep_worker_steps_per_second", WORKER)).as("idle").hasValue(0);
        assertThat(page.value("bayesweep_worker_trials_finished_total", WORKER)).hasValue(1);
        assertThat(page.value("bayesweep_worker_errors_total", WORKER)).hasValue(0);
        assertThat(page.value("bayesweep_worker_trial_fidelity", TRIAL)).as("kept during the grace period").hasValue(0.7);
    }

    @Test
    void removesAFinishedTrialsSeriesAfterTheGraceAndKeepsTheWorkersOwn() {
        metrics = new WorkerMetrics("w1", Duration.ofMillis(200));
        TrialMeters failed = metrics.attemptStarted("sw", "sw-t000");
        failed.onStart(0, 6);
        failed.onStep(new StepReport(1, 6, 0.5, 0.25, Map.of()));
        TrialMeters other = metrics.attemptStarted("sw", "sw-t001");
        other.onStart(0, 6);
        metrics.attemptEnded(failed, true);

        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().named("bayesweep_worker_trial_loss").isEmpty());
        PrometheusText page = scrape();
        assertThat(page.named("bayesweep_worker_trial_step")).as("the running trial stays")
                .singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("trial", "sw-t001"));
        assertThat(page.value("bayesweep_worker_errors_total", WORKER)).hasValue(1);
        assertThat(page.value("bayesweep_worker_trials_finished_total", WORKER)).hasValue(1);
        assertThat(page.value("bayesweep_worker_step_duration_seconds_count", WORKER)).hasValue(1);

        metrics.attemptEnded(other, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().namesStartingWith("bayesweep_worker_trial_").isEmpty());
        assertThat(scrape().value("bayesweep_worker_trials_finished_total", WORKER)).hasValue(2);
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape());
    }
}
