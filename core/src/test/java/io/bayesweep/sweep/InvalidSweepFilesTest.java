package io.bayesweep.sweep;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Each file under src/test/resources/sweeps/invalid starts with {@code # expect: <path>: <message substring>};
 * parsing (or, for trial-level rules, expanding) must fail with such a problem.
 */
class InvalidSweepFilesTest {
    private static final Path DIR = Path.of("src/test/resources/sweeps/invalid");
    private static final String EXPECT = "# expect: ";

    static Stream<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(list).as("invalid sweep files").hasSizeGreaterThanOrEqualTo(30);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void failsWithTheExpectedProblem(Path file) throws IOException {
        String text = Files.readString(file);
        String firstLine = text.lines().findFirst().orElse("");
        assertThat(firstLine).as("first line of " + file).startsWith(EXPECT);
        String expected = firstLine.substring(EXPECT.length());
        int separator = expected.indexOf(": ");
        String path = expected.substring(0, separator);
        String message = expected.substring(separator + 2);

        List<SweepProblem> problems = problemsOf(text);
        assertThat(problems).as(file + " must be rejected").isNotEmpty();
        assertThat(problems).as("problems of " + file)
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(path);
                    assertThat(p.message()).contains(message);
                });
        // Every problem reads as FILE: path: message, the form editors and CI logs link to.
        String name = file.getFileName().toString();
        assertThat(problems).allSatisfy(p -> assertThat(p.format(name)).isEqualTo(name + ": " + p.path() + ": " + p.message())
                .doesNotContain("\n"));
    }

    private static List<SweepProblem> problemsOf(String text) {
        try {
            SweepSpec spec = SweepParser.parse(text);
            SweepExpander.expand(spec, 0);
        } catch (SweepValidationException e) {
            return e.problems();
        }
        return fail("expected the sweep to be rejected");
    }
}
