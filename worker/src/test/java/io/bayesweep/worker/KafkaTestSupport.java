package io.bayesweep.worker;

import io.bayesweep.kafka.EmbeddedKafkaBroker;
import io.bayesweep.messages.Json;
import io.bayesweep.messages.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real broker with the project's topics, and plain clients to feed and read it. */
final class KafkaTestSupport implements AutoCloseable {
    final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
    private final KafkaProducer<String, byte[]> producer;
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean open = true;

    KafkaTestSupport() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(Topics.TRIALS, 4, (short) 1),
                    new NewTopic(Topics.METRICS, 2, (short) 1),
                    new NewTopic(Topics.TRIAL_EVENTS, 2, (short) 1),
                    new NewTopic(Topics.TRIALS_DLQ, 1, (short) 1),
                    new NewTopic(Topics.CONTROL, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get();
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    void send(String topic, String key, Object message) throws Exception {
        sendRaw(topic, key, Json.toBytes(message));
    }

    void sendTo(String topic, int partition, String key, Object message) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key, Json.toBytes(message))).get();
    }

    void sendRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Collects every record of a topic, from the beginning, into a list that grows as records arrive. */
    <T> List<Received<T>> collect(String topic, Class<T> type) {
        List<Received<T>> sink = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (open) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        T value = type == byte[].class ? type.cast(r.value()) : Json.fromBytes(r.value(), type);
                        sink.add(new Received<>(r, value));
                    }
                }
            }
        }, "collect-" + topic);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
        return sink;
    }

    record Received<T>(ConsumerRecord<String, byte[]> record, T value) {
    }

    @Override
    public void close() throws Exception {
        open = false;
        for (Thread t : readers) {
            t.join(5000);
        }
        producer.close();
        broker.close();
    }
}
