package io.bayesweep.sweep;

/**
 * One thing wrong with a sweep file.
 *
 * @param path    where in the document, as a key path such as {@code parameters.kl_weight.values[2]},
 *                or {@code (document)} when the text is not readable YAML at all
 * @param message what is wrong and what is allowed
 */
public record SweepProblem(String path, String message) {
    /** The document itself, for problems that have no key path (malformed YAML, empty file). */
    public static final String DOCUMENT = "(document)";

    /** {@code FILE: path: message}, the form editors and CI logs link to. */
    public String format(String file) {
        return file + ": " + this;
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
