package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** NDArray helpers. */
public final class Nd {
    private Nd() {
    }

    /**
     * Creates an array from Java floats in memory allocated by libtorch. {@code NDManager.create} wraps a
     * direct ByteBuffer whose alignment varies from run to run; MKL's kernels can then sum in a different
     * order and results differ in the last bits between JVMs. A clone is always 64-byte aligned, so
     * training is bit-reproducible across processes (what resuming on another worker relies on).
     */
    public static NDArray create(NDManager manager, float[] data, Shape shape) {
        NDArray wrapped = manager.create(data, shape);
        NDArray aligned = wrapped.duplicate();
        wrapped.close();
        return aligned;
    }

    /**
     * A scalar in libtorch-owned memory. Never multiply or divide by a Java number inside a gradient
     * computation: {@code x.mul(2f)} wraps the number in a direct ByteBuffer, closes its handle at once,
     * and autograd keeps that tensor for the backward pass; once the buffer is garbage-collected the
     * backward pass reads freed memory (seen as run-to-run differences that start after the first GC).
     */
    public static NDArray scalar(NDManager manager, double value) {
        return create(manager, new float[] {(float) value}, new Shape());
    }

    /** Overwrites {@code target}'s values in place, keeping its libtorch-owned storage (unlike NDArray.set). */
    public static void assign(NDArray target, float[] data) {
        if (data.length != target.size()) {
            throw new IllegalArgumentException("size " + data.length + " does not match " + target.getShape());
        }
        try (NDArray src = create(target.getManager(), data, target.getShape())) {
            target.muli(0).addi(src);
        }
    }
}
