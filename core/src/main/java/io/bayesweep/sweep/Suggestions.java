package io.bayesweep.sweep;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** "Did you mean" for misspelt keys and names. */
final class Suggestions {
    /** Close enough to be a typo, far enough not to suggest unrelated short names. */
    static final int MAX_DISTANCE = 2;
    /** Names this short get one edit, not two: "cat" is two edits from "cry", and no typo of it. */
    static final int SHORT_NAME = 3;
    /** A shared start this long names the same thing ("sleepy" for "sleeping", "wink_face" for "wink"). */
    static final int MIN_SHARED_PREFIX = 4;

    private Suggestions() {
    }

    static Optional<String> closest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int limit = Math.min(typed.length(), candidate.length()) <= SHORT_NAME ? 1 : MAX_DISTANCE;
            int d = levenshtein(typed, candidate);
            if (d <= limit && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null && typed.length() >= 3) {
            // "thinking" for "thinking_face": too far for an edit, but an unambiguous abbreviation.
            List<String> extensions = known.stream().filter(k -> k.startsWith(typed)).toList();
            if (extensions.size() == 1) {
                best = extensions.get(0);
            }
        }
        if (best == null) {
            // "wink_face" for "wink", "sleepy" for "sleeping": the one name sharing the longest start.
            int longest = MIN_SHARED_PREFIX - 1;
            boolean unique = false;
            for (String candidate : known) {
                int shared = sharedPrefix(typed, candidate);
                if (shared > longest) {
                    best = candidate;
                    longest = shared;
                    unique = true;
                } else if (shared == longest && best != null) {
                    unique = false;
                }
            }
            if (!unique) {
                best = null;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int sharedPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    static String didYouMean(String typed, Collection<String> known) {
        return closest(typed, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
