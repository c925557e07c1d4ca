package dev.pledge.app.console;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.Term;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The commitment ladder: for each of the next months, how many units Pledge's commitments cover, by
 * cloud, so gaps and cliffs in expiry show at a glance. A commitment counts in a month when it is
 * active on the month's first day (or was bought during the current month). Pledge stores no prices
 * yet, so the measure is units (instances, nodes, ...) rather than money.
 */
final class CommitmentLadder {
    static final int MONTHS = 36;
    static final List<Cloud> CLOUDS = List.of(Cloud.AWS, Cloud.AZURE, Cloud.GCP);

    record Month(YearMonth month, Map<Cloud, Integer> units) {
        public int total() {
            return units.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Units per cloud in {@link #CLOUDS} order. */
        public List<Integer> perCloud() {
            return CLOUDS.stream().map(this::of).toList();
        }

        public int of(Cloud c) {
            return units.getOrDefault(c, 0);
        }

        public String label() {
            return month.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH) + " "
                    + month.getYear();
        }
    }

    private CommitmentLadder() {
    }

    static List<Month> of(List<ConsoleStore.Held> held, YearMonth first, int months) {
        List<Month> out = new ArrayList<>(months);
        for (int m = 0; m < months; m++) {
            YearMonth month = first.plusMonths(m);
            var start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            var end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Map<Cloud, Integer> units = new EnumMap<>(Cloud.class);
            for (ConsoleStore.Held h : held) {
                Optional<CommitmentType> known = typeOf(h.type());
                Term term = termOf(h.term());
                if (known.isEmpty() || term == null) {
                    continue; // a type or term this build does not know: left out rather than failing Home
                }
                CommitmentType type = known.get();
                var expires = h.boughtAt().atOffset(ZoneOffset.UTC).plus(term.period()).toInstant();
                boolean activeAtStart = !h.boughtAt().isAfter(start) && expires.isAfter(start);
                boolean boughtThisMonth = m == 0 && !h.boughtAt().isBefore(start) && h.boughtAt().isBefore(end);
                if (activeAtStart || boughtThisMonth) {
                    units.merge(type.cloud(), h.quantity(), Integer::sum);
                }
            }
            out.add(new Month(month, units));
        }
        return out;
    }

    static Optional<CommitmentType> typeOf(String slug) {
        try {
            return Optional.of(CommitmentType.fromSlug("type", slug));
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
    }

    private static Term termOf(String slug) {
        try {
            return Term.fromSlug(slug);
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    /** A month where the covered units drop against the month before: a cliff to plan for. */
    static List<Month> cliffs(List<Month> ladder) {
        List<Month> out = new ArrayList<>();
        for (int i = 1; i < ladder.size(); i++) {
            if (ladder.get(i).total() < ladder.get(i - 1).total()) {
                out.add(ladder.get(i));
            }
        }
        return out;
    }
}
