package io.bayesweep.orchestrator.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** {@code IN (?, ?, ...)} over many ids, in chunks: drivers and servers limit a statement's parameters. */
final class InLists {

    static final int CHUNK = 500;

    private InLists() {
    }

    static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            out.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return out;
    }

    static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** Binds the ids from parameter {@code first} on; returns the next free parameter index. */
    static int bind(PreparedStatement s, int first, Collection<String> ids) throws SQLException {
        int i = first;
        for (String id : ids) {
            s.setString(i++, id);
        }
        return i;
    }
}
