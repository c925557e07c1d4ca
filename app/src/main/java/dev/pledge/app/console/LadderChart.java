package dev.pledge.app.console;

import dev.pledge.common.model.Cloud;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the ladder's SVG: stacked bars per month, one fill pattern per cloud (hatching, not
 * only colour, tells them apart), a few axis labels. The template only draws what is computed here.
 */
record LadderChart(int width, int height, List<Bar> bars, List<Tick> xTicks, List<Tick> yTicks, int max) {
    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;

    record Bar(double x, double y, double w, double h, String cloud, String title) {
    }

    record Tick(double x, double y, String label) {
    }

    static LadderChart of(List<CommitmentLadder.Month> months) {
        int max = Math.max(1, months.stream().mapToInt(CommitmentLadder.Month::total).max().orElse(0));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / Math.max(1, months.size());
        double barW = Math.max(2, slot * 0.8);
        List<Bar> bars = new ArrayList<>();
        List<Tick> xTicks = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            CommitmentLadder.Month m = months.get(i);
            double x = LEFT + i * slot + (slot - barW) / 2;
            double base = TOP + plotH;
            for (Cloud c : CommitmentLadder.CLOUDS) {
                int units = m.of(c);
                if (units == 0) {
                    continue;
                }
                double h = plotH * units / max;
                base -= h;
                bars.add(new Bar(round(x), round(base), round(barW), round(h), c.slug(),
                        m.label() + ": " + units + " " + c.slug().toUpperCase(java.util.Locale.ROOT) + " units"));
            }
            if (i % 6 == 0) {
                xTicks.add(new Tick(round(x + barW / 2), HEIGHT - BOTTOM + 16, m.label()));
            }
        }
        List<Tick> yTicks = new ArrayList<>();
        for (int v : new int[]{0, max / 2, max}) {
            yTicks.add(new Tick(LEFT - 6, round(TOP + plotH - plotH * v / max + 4), String.valueOf(v)));
        }
        return new LadderChart(WIDTH, HEIGHT, bars, xTicks, yTicks, max);
    }

    public int plotBottom() {
        return HEIGHT - BOTTOM;
    }

    public int plotLeft() {
        return LEFT;
    }

    public int plotRight() {
        return WIDTH - RIGHT;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
