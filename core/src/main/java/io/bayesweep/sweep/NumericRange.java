package io.bayesweep.sweep;

/**
 * An interval of allowed numbers; a null bound is open-ended.
 */
public record NumericRange(Double min, boolean minInclusive, Double max, boolean maxInclusive) {

    public static NumericRange atLeast(double min) {
        return new NumericRange(min, true, null, false);
    }

    public static NumericRange above(double min) {
        return new NumericRange(min, false, null, false);
    }

    public static NumericRange between(double min, double max) {
        return new NumericRange(min, true, max, true);
    }

    public static NumericRange aboveUpTo(double min, double max) {
        return new NumericRange(min, false, max, true);
    }

    public boolean contains(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        boolean aboveMin = min == null || (minInclusive ? value >= min : value > min);
        boolean belowMax = max == null || (maxInclusive ? value <= max : value < max);
        return aboveMin && belowMax;
    }

    /** "must be >= 0", "must be between 1 and 16", "must be > 0 and <= 1". */
    public String describe(ParameterType type) {
        String lo = min == null ? null : (minInclusive ? ">= " : "> ") + number(min, type);
        String hi = max == null ? null : (maxInclusive ? "<= " : "< ") + number(max, type);
        if (lo != null && hi != null && minInclusive && maxInclusive) {
            return "must be between " + number(min, type) + " and " + number(max, type);
        }
        if (lo != null && hi != null) {
            return "must be " + lo + " and " + hi;
        }
        return "must be " + (lo != null ? lo : hi);
    }

    private static String number(double d, ParameterType type) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return String.valueOf(d);
    }
}
