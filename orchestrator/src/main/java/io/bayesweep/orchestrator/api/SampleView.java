package io.bayesweep.orchestrator.api;

/** One eval step's sample grid: the step and where its PNG is served (a path on this orchestrator). */
public record SampleView(long step, String url) {

    static SampleView of(String trialId, long step) {
        return new SampleView(step, url(trialId, step));
    }

    static String url(String trialId, long step) {
        return "/api/trials/" + trialId + "/samples/" + step + ".png";
    }
}
