package io.bayesweep.worker;

import io.bayesweep.model.EvalReport;
import io.bayesweep.model.StepReport;
import io.bayesweep.model.TrainingListener;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Follows one attempt's training callbacks into the worker's meters. Called on the training thread only,
 * after the {@link TrialReporter} (see {@link TrialRunner}), so that the reporter's work is not step time.
 *
 * <p>Step duration: the model calls onStep right after a step's update, then evaluates (before onEval)
 * and checkpoints (before onCheckpoint). The clock therefore restarts at the end of every callback, and
 * a step's time runs from the end of the previous callback to its onStep: the forward and backward passes
 * and the optimiser update, without evals, checkpoints or reporting.
 */
final class TrialMeters implements TrainingListener {
    private final String trialId;
    private final TrialSeries series;
    private final Timer stepDuration;
    private final StepRate stepRate;
    private long stepStartedAt;

    TrialMeters(String trialId, TrialSeries series, Timer stepDuration, StepRate stepRate) {
        this.trialId = trialId;
        this.series = series;
        this.stepDuration = stepDuration;
        this.stepRate = stepRate;
    }

    String trialId() {
        return trialId;
    }

    TrialSeries series() {
        return series;
    }

    @Override
    public void onStart(long fromStep, long totalSteps) {
        series.set(TrialSeries.STEP, fromStep);
        stepRate.started();
        stepStartedAt = System.nanoTime();
    }

    @Override
    public void onStep(StepReport report) {
        stepDuration.record(System.nanoTime() - stepStartedAt, TimeUnit.NANOSECONDS);
        stepRate.stepped();
        series.set(TrialSeries.STEP, report.step());
        series.set(TrialSeries.LOSS, report.loss());
        stepStartedAt = System.nanoTime();
    }

    @Override
    public void onEval(EvalReport report) {
        TrialSeries.EVAL_GAUGES.forEach((metric, gauge) -> {
            Double value = report.metrics().get(metric);
            if (value != null) {
                series.set(gauge, value);
            }
        });
        stepStartedAt = System.nanoTime();
    }

    @Override
    public void onCheckpoint(long step) {
        stepStartedAt = System.nanoTime();
    }
}
