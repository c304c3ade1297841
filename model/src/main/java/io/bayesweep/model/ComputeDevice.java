package io.bayesweep.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;

import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The device training runs on: the first GPU when the engine sees one, else the CPU.
 *
 * <p>{@value #SETTING} (a system property, else an environment variable) overrides the choice:
 * {@code auto} (the default), {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}. Asking for a GPU
 * the engine does not see is an error, never a silent fallback to the CPU. GPUs need the CUDA build of
 * libtorch: build with {@code -Pcuda} (docs/operations.md, "GPU workers").
 */
public final class ComputeDevice {
    /** The name of the system property and of the environment variable that override the choice. */
    public static final String SETTING = "BAYESWEEP_DEVICE";

    private ComputeDevice() {
    }

    /**
     * The device to train on. Starts the engine (loads libtorch) if it is not running yet.
     *
     * @throws IllegalArgumentException if {@value #SETTING} is not auto, cpu, gpu or gpu:N
     * @throws IllegalStateException    if {@value #SETTING} asks for a GPU the engine does not see
     */
    public static Device select() {
        String requested = System.getProperty(SETTING);
        if (requested == null) {
            requested = System.getenv(SETTING);
        }
        return select(requested, Engine.getInstance().getGpuCount());
    }

    /** One line for the logs: the selected device, the engine and its threads or GPU, e.g. "cpu (PyTorch 2.7.1, ...)". */
    public static String describe() {
        return describe(select());
    }

    /** One line for the logs about {@code device}; never fails for lack of optional CUDA details. */
    public static String describe(Device device) {
        Engine engine = Engine.getInstance();
        StringBuilder s = new StringBuilder();
        s.append(device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu");
        s.append(" (").append(engine.getEngineName()).append(' ').append(engine.getVersion());
        String flavor = libtorchFlavor(engine);
        if (flavor != null) {
            s.append(", libtorch ").append(flavor);
        }
        if (device.isGpu()) {
            s.append(", ").append(engine.getGpuCount()).append(" GPU(s) visible");
            s.append(cudaDetails(device));
        } else if (isPyTorch(engine)) {
            int threads = JniUtils.getNumThreads();
            s.append(", ").append(threads).append(" intra-op thread").append(threads == 1 ? "" : "s");
        }
        return s.append(')').toString();
    }

    /** The choice for a {@value #SETTING} value ({@code null} or blank = auto) and the number of GPUs the engine sees. */
    static Device select(String requested, int gpuCount) {
        String value = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("auto")) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        int index;
        if (value.equals("gpu")) {
            index = 0;
        } else if (value.startsWith("gpu:")) {
            try {
                index = Integer.parseInt(value.substring(4));
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0) {
                throw invalid(requested);
            }
        } else {
            throw invalid(requested);
        }
        if (index >= gpuCount) {
            String seen = gpuCount == 0 ? "no GPU" : gpuCount == 1 ? "1 GPU" : gpuCount + " GPUs";
            throw new IllegalStateException(SETTING + "=" + requested.trim() + " but the engine sees " + seen
                    + ": a GPU needs the CUDA build (./mvnw -Pcuda ..., see docs/operations.md), an NVIDIA driver"
                    + " and the CUDA runtime library (libcudart) on the library path; or set " + SETTING
                    + "=cpu (or auto)");
        }
        return Device.gpu(index);
    }

    private static IllegalArgumentException invalid(String requested) {
        return new IllegalArgumentException(SETTING + " must be auto, cpu, gpu or gpu:N, not '" + requested + "'");
    }

    private static boolean isPyTorch(Engine engine) {
        return "PyTorch".equals(engine.getEngineName());
    }

    /**
     * The flavor ("cpu", "cu124") of the libtorch build DJL loaded, from the name of its cache folder
     * (e.g. "2.7.1-20250812-cpu-linux-x86_64"); the whole name if no part looks like a flavor; null if unknown.
     */
    private static String libtorchFlavor(Engine engine) {
        if (!isPyTorch(engine)) {
            return null;
        }
        try {
            Path dir = Path.of(LibUtils.getLibtorchPath()).getFileName();
            if (dir == null) {
                return null;
            }
            for (String part : dir.toString().split("-")) {
                if (part.equals("cpu") || part.matches("cu\\d+")) {
                    return part;
                }
            }
            return dir.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String cudaDetails(Device device) {
        StringBuilder s = new StringBuilder();
        try {
            int v = CudaUtils.getCudaVersion();
            s.append(", CUDA runtime ").append(v / 1000).append('.').append(v / 10 % 100);
            String cc = CudaUtils.getComputeCapability(device.getDeviceId());
            s.append(", compute capability ").append(cc, 0, cc.length() - 1).append('.').append(cc.charAt(cc.length() - 1));
            MemoryUsage memory = CudaUtils.getGpuMemory(device);
            s.append(String.format(Locale.ROOT, ", %.1f GiB", memory.getMax() / (1024.0 * 1024 * 1024)));
        } catch (RuntimeException | LinkageError e) {
            // CUDA details are optional: the engine already saw the GPU
        }
        return s.toString();
    }
}
