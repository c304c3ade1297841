package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Sends a record that cannot be stored to its dead-letter topic (SmallRye's dead-letter-queue failure strategy)
 * with the project's reason header, {@value Topics#DLQ_REASON_HEADER}, next to SmallRye's own
 * {@code dead-letter-reason}.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static CompletionStage<Void> reject(Message<?> message, Throwable reason) {
        String text = reason.getMessage() == null ? reason.toString() : reason.getMessage();
        LOG.warnf("dead-lettering a record: %s", text);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, text.getBytes(StandardCharsets.UTF_8));
        return message.nack(reason, message.getMetadata()
                .with(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build()));
    }
}
