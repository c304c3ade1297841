package io.bayesweep.orchestrator.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** A tracker-store failure, unchecked so that callers decide where to handle it. */
public class StoreException extends RuntimeException {

    /** SQLSTATE classes that say "try again later": connection, rollback (deadlock, serialization), resources, shutdown. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "HY");

    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** True when the same work may succeed later (the database is down or busy), false for a bug or bad data. */
    public boolean isTransient() {
        if (!(getCause() instanceof SQLException sql)) {
            return false;
        }
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
            return true;
        }
        String state = sql.getSQLState();
        // Agroal reports an exhausted pool or an unreachable server without a SQLSTATE.
        return state == null || state.length() < 2 || TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }

    /** A unique or primary-key violation. */
    public boolean isDuplicateKey() {
        return getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }
}
