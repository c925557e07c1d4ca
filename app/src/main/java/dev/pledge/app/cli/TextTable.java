package dev.pledge.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain, left-aligned text table with a header row, for people reading a terminal. */
final class TextTable {
    private static final int MAX_CELL = 100;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = Arrays.asList(headers);
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            String s = c == null ? "-" : c.toString().replaceAll("\\s+", " ");
            row.add(s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s);
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        line(out, headers, widths);
        for (List<String> r : rows) {
            line(out, r, widths);
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            sb.append(c);
            if (i < widths.length - 1) {
                sb.append(" ".repeat(widths[i] - c.length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
