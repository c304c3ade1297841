package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.artifacts.SampleGrids;
import io.bayesweep.orchestrator.store.TrackerStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample grids of stored trials, for the API: 404s for unknown trials and steps without a grid. */
@ApplicationScoped
public class TrialSamples {

    /** A step as the URL names it: a number, optionally with {@code .png}. */
    private static final Pattern STEP = Pattern.compile("(\\d{1,18})(\\.png)?");

    /** One grid: its step and its PNG bytes. */
    public record Grid(long step, byte[] png) {
    }

    private final TrackerStore store;
    private final SampleGrids grids;

    TrialSamples(TrackerStore store, SampleGrids grids) {
        this.store = store;
        this.grids = grids;
    }

    public List<SampleView> list(String trialId) {
        requireTrial(trialId);
        return grids.steps(trialId).stream().map(step -> SampleView.of(trialId, step)).toList();
    }

    public Grid step(String trialId, String stepText) {
        requireTrial(trialId);
        Matcher m = STEP.matcher(stepText == null ? "" : stepText);
        if (!m.matches()) {
            throw new NotFoundException("'" + stepText + "' is not a step: expected a number (optionally with .png) "
                    + "or 'latest'");
        }
        long step = Long.parseLong(m.group(1));
        return grids.read(trialId, step).map(png -> new Grid(step, png)).orElseThrow(() ->
                new NotFoundException("trial " + trialId + " has no sample grid at step " + step));
    }

    public Grid latest(String trialId) {
        requireTrial(trialId);
        List<Long> steps = grids.steps(trialId);
        // Newest first; should a listed grid be gone a moment later (its folder cleaned up), the next older one.
        for (int i = steps.size() - 1; i >= 0; i--) {
            long step = steps.get(i);
            var png = grids.read(trialId, step);
            if (png.isPresent()) {
                return new Grid(step, png.get());
            }
        }
        throw new NotFoundException("trial " + trialId + " has no sample grid yet");
    }

    /** The URL of the trial's newest grid, or null (also when the artifacts directory cannot be read). */
    String latestUrl(String trialId) {
        var step = grids.latestStep(trialId);
        return step.isPresent() ? SampleView.url(trialId, step.getAsLong()) : null;
    }

    /** Only a stored trial, and only an id that cannot name anything outside its folder (checked before the store). */
    private void requireTrial(String trialId) {
        if (!SampleGrids.isSafeTrialId(trialId) || store.read(c -> store.trials().find(c, trialId)).isEmpty()) {
            throw new NotFoundException("no trial " + trialId);
        }
    }
}
