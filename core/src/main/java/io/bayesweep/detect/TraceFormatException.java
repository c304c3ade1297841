package io.bayesweep.detect;

/**
 * A trace file that cannot be read as eval-step metrics. The message is one line that names the
 * source, the line and, where it applies, the column: {@code run.csv: line 7, column 'noise': not a number: 'n/a'}.
 */
public final class TraceFormatException extends RuntimeException {
    private final String source;
    private final int line;
    private final String column;
    private final String problem;

    public TraceFormatException(String source, int line, String column, String problem) {
        super(source + ": " + (line > 0 ? "line " + line : "")
                + (column == null ? "" : (line > 0 ? ", " : "") + "column '" + column + "'")
                + (line > 0 || column != null ? ": " : "") + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file (or other source) name. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    /** The column's header name, or null. */
    public String column() {
        return column;
    }

    /** The problem alone, without source, line and column. */
    public String problem() {
        return problem;
    }
}
