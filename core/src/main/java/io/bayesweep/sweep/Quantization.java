package io.bayesweep.sweep;

/** W&B's {@code round(x / q) * q} for the q_ distributions. */
final class Quantization {
    private Quantization() {
    }

    /**
     * numpy's round is half-to-even, hence rint; like W&B, the result is an integer only when q was
     * written as one.
     */
    static Object apply(double x, Number q) {
        double rounded = Math.rint(x / q.doubleValue()) * q.doubleValue();
        return isIntegerTyped(q) ? (Object) Math.round(rounded) : (Object) rounded;
    }

    static double applyAsDouble(double x, Number q) {
        return Math.rint(x / q.doubleValue()) * q.doubleValue();
    }

    static boolean isIntegerTyped(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof java.math.BigInteger;
    }
}
