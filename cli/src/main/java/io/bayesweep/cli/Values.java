package io.bayesweep.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How values look in tables: exact for parameters, 4 significant digits for metrics. */
final class Values {
    static final String MISSING = "-";

    private Values() {
    }

    /** Nested parameter groups become {@code group.name} columns. */
    static Map<String, Object> flatten(Map<String, ?> params) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", params, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, ?> params, Map<String, Object> into) {
        for (Map.Entry<String, ?> e : params.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> group = (Map<String, ?>) nested;
                flatten(prefix + e.getKey() + ".", group, into);
            } else {
                into.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    static String param(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            double abs = Math.abs(d);
            // 1e-4 reads better as 0.0001; very small or large values keep their exponent.
            if (abs == 0 || (abs >= 1e-6 && abs < 1e9)) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            return Double.toString(d);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(Values::param).collect(Collectors.joining(","));
        }
        return value.toString();
    }

    static String metric(Double value) {
        if (value == null) {
            return MISSING;
        }
        double d = value;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        double abs = Math.abs(d);
        if (abs == 0) {
            return "0";
        }
        if (abs >= 1e-4 && abs < 1e7) {
            return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", d);
    }

    /** Timestamps in UTC to the second; anything unparsable is shown as it came. */
    static String time(String iso) {
        if (iso == null || iso.isBlank()) {
            return MISSING;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(iso).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
            } catch (DateTimeParseException notOffset) {
                return iso;
            }
        }
    }
}
