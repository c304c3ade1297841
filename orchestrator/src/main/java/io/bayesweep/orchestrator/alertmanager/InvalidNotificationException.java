package io.bayesweep.orchestrator.alertmanager;

import java.util.List;

/** A webhook body that is not an Alertmanager notification with alerts; answered with 400 and every problem. */
public class InvalidNotificationException extends RuntimeException {

    /** One thing wrong; {@code path} locates it in the body ({@code alerts[2].fingerprint}), or is null. */
    public record Problem(String path, String message) {
    }

    private final List<Problem> problems;

    public InvalidNotificationException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid notification" : problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    public static InvalidNotificationException of(String message) {
        return new InvalidNotificationException(List.of(new Problem(null, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
