package io.bayesweep.orchestrator.store;

import io.bayesweep.orchestrator.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** received_alerts (migration V3) on H2 (PostgreSQL mode) and on the real PostgreSQL. */
@ParameterizedClass
@EnumSource(TestStores.class)
class ReceivedAlertStoreTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 6, 10, 0, 0, 123_456_000, ZoneOffset.UTC);

    private final TestStores database;
    private TestStores.OpenedStore opened;
    private TrackerStore store;

    ReceivedAlertStoreTest(TestStores database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        opened = database.open();
        store = opened.store();
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private static ReceivedAlert alert(String fingerprint, String status, OffsetDateTime endsAt, String trialId,
                                       OffsetDateTime receivedAt) {
        return new ReceivedAlert(fingerprint, T0, status, "TrialCorrupted", "sw-1a2b3c4d", trialId,
                trialId == null ? Map.of("alertname", "TrialCorrupted", "sweep", "sw-1a2b3c4d")
                        : Map.of("alertname", "TrialCorrupted", "sweep", "sw-1a2b3c4d", "trial", trialId,
                        "severity", "warning"),
                Map.of("summary", "fidelity dipped \"a lot\" ✓"), endsAt, "http://prometheus:9090/graph?g0.expr=x",
                "bayesweep", receivedAt);
    }

    private boolean insert(ReceivedAlert a) {
        return store.inTransaction(c -> store.receivedAlerts().insert(c, a));
    }

    @Test
    void storesAnAlertOncePerFingerprintStartAndStatusAndListsThemNewestFirst() {
        ReceivedAlert firing = alert("a1b2c3d4e5f60718", "firing", null, "sw-1a2b3c4d-t000", T0.plusSeconds(5));
        assertThat(insert(firing)).isTrue();
        assertThat(insert(alert("a1b2c3d4e5f60718", "firing", null, "sw-1a2b3c4d-t000", T0.plusSeconds(65))))
                .as("the same alert repeated").isFalse();
        ReceivedAlert resolved = alert("a1b2c3d4e5f60718", "resolved", T0.plusSeconds(90), "sw-1a2b3c4d-t000",
                T0.plusSeconds(95));
        assertThat(insert(resolved)).isTrue();
        ReceivedAlert sweepWide = alert("ffff000011112222", "firing", null, null, T0.plusSeconds(30));
        assertThat(insert(sweepWide)).isTrue();

        List<ReceivedAlert> listed = store.read(c -> store.receivedAlerts().listNewestFirst(c, 10));
        assertThat(listed).containsExactly(resolved, sweepWide, firing);
        assertThat(listed.get(0).labels()).containsEntry("trial", "sw-1a2b3c4d-t000").hasSize(4);
        assertThat(listed.get(0).annotations()).containsEntry("summary", "fidelity dipped \"a lot\" ✓");
        assertThat(listed.get(1).trialId()).isNull();
        assertThat(listed.get(2).endsAt()).isNull();
        List<ReceivedAlert> newest = store.read(c -> store.receivedAlerts().listNewestFirst(c, 1));
        assertThat(newest).containsExactly(resolved);
    }
}
