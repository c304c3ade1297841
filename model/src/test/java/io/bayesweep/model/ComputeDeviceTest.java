package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {
    private String saved;

    @BeforeEach
    void saveSetting() {
        saved = System.getProperty(ComputeDevice.SETTING);
        System.clearProperty(ComputeDevice.SETTING);
    }

    @AfterEach
    void restoreSetting() {
        if (saved == null) {
            System.clearProperty(ComputeDevice.SETTING);
        } else {
            System.setProperty(ComputeDevice.SETTING, saved);
        }
    }

    @Test
    void selectsTheGpuWhenTheEngineSeesOneElseTheCpu() {
        assumeTrue(System.getenv(ComputeDevice.SETTING) == null, "BAYESWEEP_DEVICE is set in the environment");
        Device expected = Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        assertThat(ComputeDevice.select()).isEqualTo(expected);
    }

    @Test
    void describesTheDeviceAndThePyTorchVersion() {
        assumeTrue(System.getenv(ComputeDevice.SETTING) == null, "BAYESWEEP_DEVICE is set in the environment");
        String version = Engine.getInstance().getVersion();
        String line = ComputeDevice.describe();
        assertThat(line).contains("PyTorch " + version);
        if (Engine.getInstance().getGpuCount() == 0) {
            assertThat(line).startsWith("cpu (").containsPattern("\\d+ intra-op threads?\\)$");
        } else {
            assertThat(line).startsWith("gpu(0) (");
        }
    }

    @Test
    void theSystemPropertyOverridesTheChoice() {
        System.setProperty(ComputeDevice.SETTING, " CPU ");
        assertThat(ComputeDevice.select()).isEqualTo(Device.cpu());
        System.setProperty(ComputeDevice.SETTING, "auto");
        assertThat(ComputeDevice.select())
                .isEqualTo(Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu());
        System.setProperty(ComputeDevice.SETTING, "tpu");
        assertThatThrownBy(ComputeDevice::select)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BAYESWEEP_DEVICE must be auto, cpu, gpu or gpu:N");
    }

    @Test
    void askingForAGpuWithoutOneIsAClearError() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        System.setProperty(ComputeDevice.SETTING, "gpu");
        assertThatThrownBy(ComputeDevice::select)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BAYESWEEP_DEVICE=gpu but the engine sees no GPU")
                .hasMessageContaining("-Pcuda");
    }

    @Test
    void parsesEveryValueAgainstTheGpuCount() {
        assertThat(ComputeDevice.select(null, 0)).isEqualTo(Device.cpu());
        assertThat(ComputeDevice.select("", 2)).isEqualTo(Device.gpu(0));
        assertThat(ComputeDevice.select("auto", 1)).isEqualTo(Device.gpu(0));
        assertThat(ComputeDevice.select("cpu", 4)).isEqualTo(Device.cpu());
        assertThat(ComputeDevice.select("gpu", 1)).isEqualTo(Device.gpu(0));
        assertThat(ComputeDevice.select("GPU:1", 2)).isEqualTo(Device.gpu(1));
        assertThatThrownBy(() -> ComputeDevice.select("gpu:2", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BAYESWEEP_DEVICE=gpu:2 but the engine sees 2 GPUs");
        assertThatThrownBy(() -> ComputeDevice.select("gpu", 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ComputeDevice.select("gpu:x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ComputeDevice.select("gpu:-1", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
