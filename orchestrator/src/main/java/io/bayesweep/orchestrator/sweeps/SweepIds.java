package io.bayesweep.orchestrator.sweeps;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short ids people can read and type: {@code sw-1a2b3c4d}, {@code sw-1a2b3c4d-t007}. */
public final class SweepIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SweepIds() {
    }

    public static String newSweepId() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "sw-" + HexFormat.of().formatHex(bytes);
    }

    public static String trialId(String sweepId, int index) {
        return sweepId + "-t" + String.format("%03d", index);
    }
}
