package io.bayesweep.orchestrator.alertmanager;

/**
 * The webhook's answer.
 *
 * @param received the alerts in the notification
 * @param stored   those of them not stored before (a repeated or retried notification stores none)
 */
public record WebhookReceipt(int received, int stored) {
}
