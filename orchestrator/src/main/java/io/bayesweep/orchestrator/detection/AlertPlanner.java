package io.bayesweep.orchestrator.detection;

import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.Verdict;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.AlertRecord.Kind;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which alerts a new replay of a trial calls for, given the alerts already decided for it: one ENTERED per
 * corruption window, one EXITED when that window has closed, never twice.
 *
 * <p>A window of the replay is the same as an announced one when their spans overlap ([onset, end), an open end
 * reaching to infinity), matched one to one in step order. So a replay that only repeats the known points adds
 * nothing, and a late point that moves a window's onset (a point that arrived out of order after a takeover)
 * does not announce the window again: its EXITED keeps the onset its ENTERED announced. A window that a late
 * point makes disappear keeps its alerts (they said what the points showed at the time).
 */
final class AlertPlanner {

    private AlertPlanner() {
    }

    /** An announced window: the ENTERED's onset, and the EXITED's end if it was sent. */
    private record Announced(long onset, Long end, boolean exited) {
        long until() {
            return end == null ? Long.MAX_VALUE : end;
        }
    }

    /**
     * @param alerted every alert decided before for this trial and this detector version
     * @return the new alerts, ENTERED before EXITED, oldest window first
     */
    static List<AlertRecord> plan(String sweepId, String trialId, DetectionReplay replay, List<AlertRecord> alerted,
                                  OffsetDateTime now) {
        List<Announced> announced = announced(alerted);
        boolean[] matched = new boolean[announced.size()];
        List<AlertRecord> out = new ArrayList<>();
        for (CorruptionWindow w : replay.windows()) {
            long wUntil = w.end() == null ? Long.MAX_VALUE : w.end();
            int match = -1;
            for (int i = 0; i < announced.size() && match < 0; i++) {
                Announced a = announced.get(i);
                if (!matched[i] && a.onset() < wUntil && w.onset() < a.until()) {
                    match = i;
                }
            }
            long identity;
            boolean exitSent;
            if (match >= 0) {
                matched[match] = true;
                identity = announced.get(match).onset();
                exitSent = announced.get(match).exited();
            } else {
                Verdict entry = replay.enteredAt().get(w.onset());
                CorruptionWindow atEntry = entry.openWindow();
                out.add(new AlertRecord(trialId, sweepId, replay.detector(), w.onset(), Kind.ENTERED, entry.step(),
                        null, atEntry.depth(), entry.state(), now, null));
                identity = w.onset();
                exitSent = false;
            }
            if (w.end() != null && !exitSent) {
                Verdict exit = replay.exitedAt().get(w.onset());
                out.add(new AlertRecord(trialId, sweepId, replay.detector(), identity, Kind.EXITED, exit.step(),
                        w.end(), w.depth(), exit.state(), now, null));
            }
        }
        return out;
    }

    private static List<Announced> announced(List<AlertRecord> alerted) {
        Map<Long, Announced> byOnset = new TreeMap<>();
        alerted.stream().sorted(Comparator.comparing(AlertRecord::kind)).forEach(a -> {
            if (a.kind() == Kind.ENTERED) {
                byOnset.putIfAbsent(a.onset(), new Announced(a.onset(), null, false));
            } else {
                byOnset.put(a.onset(), new Announced(a.onset(), a.end(), true));
            }
        });
        return List.copyOf(byOnset.values());
    }
}
