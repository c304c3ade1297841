package io.bayesweep.sweep;

import java.util.List;

/**
 * Checks that every value a distribution can give is allowed for its training parameter: each listed value,
 * each bound, and (for random search) the bounds after q rounding. Unbounded distributions (normal and
 * friends) are checked for type only; their draws are checked per trial when the sweep is expanded.
 */
final class ParameterValueChecker {
    private final Problems problems;
    private final SweepMethod method;

    ParameterValueChecker(Problems problems, SweepMethod method) {
        this.problems = problems;
        this.method = method;
    }

    void check(ParameterInfo info, Distribution distribution, String path) {
        if (distribution instanceof ConstantValue constant) {
            checkValue(info, constant.value(), path + ".value");
        } else if (distribution instanceof CategoricalValues categorical) {
            List<Object> values = categorical.values();
            for (int i = 0; i < values.size(); i++) {
                checkValue(info, values.get(i), path + ".values[" + i + "]");
            }
        } else if (distribution instanceof IntUniform uniform) {
            if (!drawsAllowedType(info, uniform.kind(), null, null, path)) {
                return;
            }
            checkValue(info, uniform.min(), path + ".min");
            checkValue(info, uniform.max(), path + ".max");
        } else if (distribution instanceof BoundedDistribution bounded) {
            if (drawsAllowedType(info, bounded.kind(), bounded.q(), bounded.min(), path)) {
                checkBounds(info, bounded, path);
            }
        } else if (distribution instanceof GaussianDistribution gaussian) {
            drawsAllowedType(info, gaussian.kind(), gaussian.q(), null, path);
        }
    }

    private void checkValue(ParameterInfo info, Object value, String path) {
        String problem = info.problemWith(value);
        if (problem != null) {
            problems.add(path, problem);
        }
    }

    private boolean drawsAllowedType(ParameterInfo info, DistributionKind kind, Number q, Number min, String path) {
        String distribution = "distribution '" + kind.wandbName() + "'";
        if (!info.type().numeric()) {
            problems.add(path, info.name() + " is " + info.type().description() + "; " + distribution
                    + " draws numbers (use value or values)");
            return false;
        }
        if (info.type() != ParameterType.INT || kind == DistributionKind.INT_UNIFORM) {
            return true;
        }
        if (!kind.quantized() || !Values.isIntegral(q)) {
            problems.add(path, info.name() + " is an int; " + distribution + " draws non-integers (use int_uniform, values,"
                    + " or a q_ distribution with an integer q)");
            return false;
        }
        // Grid steps from min (min, min+q, ...); random draws are multiples of q whatever min is.
        if (kind == DistributionKind.Q_UNIFORM && method == SweepMethod.GRID && !Values.isIntegral(min)) {
            problems.add(path + ".min", Values.show(min) + " is not an integer: " + info.name()
                    + " is an int and q_uniform grids min, min+q, ...");
            return false;
        }
        return true;
    }

    private void checkBounds(ParameterInfo info, BoundedDistribution bounded, String path) {
        boolean inverse = bounded.kind() == DistributionKind.INV_LOG_UNIFORM;
        String lowPath = path + (inverse ? ".max" : ".min");
        String highPath = path + (inverse ? ".min" : ".max");
        String lowShown = bounded.boundsAreExponents()
                ? (inverse ? "exp(-max) = " : "exp(min) = ") + bounded.lowestValue() : Values.show(bounded.min());
        String highShown = bounded.boundsAreExponents()
                ? (inverse ? "exp(-min) = " : "exp(max) = ") + bounded.highestValue() : Values.show(bounded.max());
        String hint = bounded.boundsAreExponents() ? " (" + bounded.kind().wandbName()
                + " bounds are exponents; for value bounds use " + bounded.kind().wandbName() + "_values)" : "";
        boolean lowOk = addRangeProblem(info, lowShown, bounded.lowestValue(), lowPath, hint);
        boolean highOk = addRangeProblem(info, highShown, bounded.highestValue(), highPath, hint);
        // Random draws are rounded to multiples of q, which can step outside [min, max]; grid values never do.
        if (bounded.kind().quantized() && method == SweepMethod.RANDOM) {
            if (lowOk) {
                double low = Quantization.applyAsDouble(bounded.lowestValue(), bounded.q());
                addRangeProblem(info, shownNumber(low) + " (the lowest draw, rounded to a multiple of q "
                        + Values.show(bounded.q()) + ")", low, lowPath, "");
            }
            if (highOk) {
                double high = Quantization.applyAsDouble(bounded.highestValue(), bounded.q());
                addRangeProblem(info, shownNumber(high) + " (the highest draw, rounded to a multiple of q "
                        + Values.show(bounded.q()) + ")", high, highPath, "");
            }
        }
    }

    private boolean addRangeProblem(ParameterInfo info, String shown, double value, String path, String hint) {
        String problem = info.rangeProblem(shown, value);
        if (problem != null) {
            problems.add(path, problem + hint);
            return false;
        }
        return true;
    }

    private static String shownNumber(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
