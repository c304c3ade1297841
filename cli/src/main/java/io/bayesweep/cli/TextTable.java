package io.bayesweep.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A plain text table: columns separated by two spaces, numeric columns right-aligned. */
final class TextTable {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?(/\\d+)?");

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    TextTable row(List<String> cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        for (String line : lines()) {
            out.println(line);
        }
        out.flush();
    }

    List<String> lines() {
        int columns = header.size();
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                String cell = cell(row, c);
                width[c] = Math.max(width[c], cell.length());
                if (!cell.equals(Values.MISSING) && !NUMBER.matcher(cell).matches()) {
                    numeric[c] = false;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(format(header, width, numeric));
        for (List<String> row : rows) {
            lines.add(format(row, width, numeric));
        }
        return lines;
    }

    private static String format(List<String> row, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String cell = cell(row, c);
            if (c > 0) {
                line.append("  ");
            }
            String padding = " ".repeat(width[c] - cell.length());
            line.append(numeric[c] ? padding + cell : cell + padding);
        }
        return line.toString().stripTrailing();
    }

    private static String cell(List<String> row, int c) {
        String cell = c < row.size() ? row.get(c) : null;
        return cell == null ? Values.MISSING : cell;
    }
}
