package io.bayesweep.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceCsvTest {
    @TempDir
    Path dir;

    static List<EvalPoint> read(String csv) throws IOException {
        return TraceCsv.read(new StringReader(csv), "t.csv");
    }

    @Test
    void readsTheRequiredAndOptionalColumns() throws IOException {
        List<EvalPoint> points = read("""
                step,fidelity,noise,diversity,memorization,sigma1,loss
                10,0.5,0.02,0.3,0.15,2.1,0.07
                20,0.61,0.025,0.29,0.14,2.0,0.06
                """);

        assertThat(points).containsExactly(new EvalPoint(10, 0.5, 0.02, 0.3, 0.15, 2.1, 0.07),
                new EvalPoint(20, 0.61, 0.025, 0.29, 0.14, 2.0, 0.06));
    }

    @Test
    void columnsComeInAnyOrderUnknownOnesAreIgnoredAbsentOnesAreMissing() throws IOException {
        List<EvalPoint> points = read("""
                loss,Noise,kl,STEP,fidelity
                0.07,0.02,12.5,10,0.5
                """);

        EvalPoint p = points.get(0);
        assertThat(p.step()).isEqualTo(10);
        assertThat(p.fidelity()).isEqualTo(0.5);
        assertThat(p.noise()).isEqualTo(0.02);
        assertThat(p.loss()).isEqualTo(0.07);
        assertThat(p.diversity()).isNaN();
        assertThat(p.memorization()).isNaN();
        assertThat(p.sigma1()).isNaN();
    }

    @Test
    void emptyCellsAndNaNAreMissingValues() throws IOException {
        List<EvalPoint> points = read("step,fidelity,noise,loss\n10,,0.02,\n20,0.6,NaN,0.1\n30, , nan ,0.1\n");

        assertThat(points).hasSize(3);
        assertThat(points.get(0).fidelity()).isNaN();
        assertThat(points.get(0).loss()).isNaN();
        assertThat(points.get(1).noise()).isNaN();
        assertThat(points.get(2).fidelity()).isNaN();
        assertThat(points.get(2).noise()).isNaN();
    }

    @Test
    void toleratesCrLfBlankLinesQuotesAndAByteOrderMark() throws IOException {
        List<EvalPoint> points = read("\uFEFFstep,fidelity,noise\r\n\r\n10,\"0.5\",0.02\r\n20,0.6,1e-2\r\n");

        assertThat(points).extracting(EvalPoint::step).containsExactly(10L, 20L);
        assertThat(points.get(1).noise()).isEqualTo(0.01);
    }

    @Test
    void aHeaderAloneIsAnEmptyTrace() throws IOException {
        assertThat(read("step,fidelity,noise\n")).isEmpty();
    }

    @Test
    void aMissingRequiredColumnIsNamed() {
        assertThatThrownBy(() -> read("step,fidelity,loss\n10,0.5,0.1\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("t.csv: line 1: missing required column 'noise'");
        assertThatThrownBy(() -> read("fidelity\n0.5\n"))
                .hasMessageContaining("missing required columns 'step', 'noise'");
    }

    @Test
    void aNonNumericCellNamesLineAndColumn() {
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,0.5,0.02\n\n30,0.5,n/a\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("t.csv: line 4, column 'noise': not a number: 'n/a'")
                .satisfies(e -> {
                    TraceFormatException t = (TraceFormatException) e;
                    assertThat(t.line()).isEqualTo(4);
                    assertThat(t.column()).isEqualTo("noise");
                    assertThat(t.source()).isEqualTo("t.csv");
                });
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,Infinity,0.02\n"))
                .hasMessage("t.csv: line 2, column 'fidelity': not a number: 'Infinity'");
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,0.5,1e999\n"))
                .hasMessage("t.csv: line 2, column 'noise': not a finite number: '1e999'");
    }

    @Test
    void stepsMustBeIntegersAndStrictlyIncrease() {
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,0.5,0.02\n20,0.5,0.02\n20,0.5,0.02\n"))
                .hasMessage("t.csv: line 4, column 'step': step 20 is not greater than the previous step 20 (line 3); "
                        + "steps must strictly increase");
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,0.5,0.02\n5,0.5,0.02\n"))
                .hasMessageContaining("line 3, column 'step': step 5 is not greater");
        assertThatThrownBy(() -> read("step,fidelity,noise\n10.5,0.5,0.02\n"))
                .hasMessage("t.csv: line 2, column 'step': not an integer step: '10.5'");
        assertThatThrownBy(() -> read("step,fidelity,noise\n,0.5,0.02\n"))
                .hasMessage("t.csv: line 2, column 'step': the step is missing");
        assertThatThrownBy(() -> read("step,fidelity,noise\n-10,0.5,0.02\n"))
                .hasMessage("t.csv: line 2, column 'step': negative step -10");
    }

    @Test
    void rowsMustHaveAsManyCellsAsTheHeader() {
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,0.5\n"))
                .hasMessage("t.csv: line 2: 2 cells, but the header has 3 columns");
    }

    @Test
    void emptyFilesAndBrokenQuotesAreErrors() {
        assertThatThrownBy(() -> read(""))
                .hasMessage("t.csv: empty file: expected a header row with the columns step, fidelity, noise");
        assertThatThrownBy(() -> read("step,fidelity,noise\n10,\"0.5,0.02\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("malformed CSV");
    }

    @Test
    void aDuplicatedKnownColumnIsAnError() {
        assertThatThrownBy(() -> read("step,noise,fidelity,noise\n10,0.1,0.5,0.2\n"))
                .hasMessage("t.csv: line 1, column 'noise': the column appears twice in the header");
    }

    @Test
    void readsAFileAndNamesItInErrors() throws IOException {
        Path file = dir.resolve("run.csv");
        Files.writeString(file, "step,fidelity,noise\n10,0.5,x\n");

        assertThatThrownBy(() -> TraceCsv.read(file)).hasMessage(file + ": line 2, column 'noise': not a number: 'x'");
    }
}
