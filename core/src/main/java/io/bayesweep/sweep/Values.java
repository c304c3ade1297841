package io.bayesweep.sweep;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How values are shown in messages: strings quoted, lists in flow style, as a user would write them. */
final class Values {
    private Values() {
    }

    static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> v instanceof String s ? s : show(v))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return String.valueOf(value);
    }

    static boolean isNumber(Object value) {
        return value instanceof Number;
    }

    /** True for integers, and for doubles such as 3.0 that hold one exactly. */
    static boolean isIntegral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return true;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d);
        }
        return false;
    }
}
