package dev.pledge.emulator.aws;

import java.util.List;

/** One page of a listing: the items and the marker of the next page (null on the last). */
record Paging<T>(List<T> items, String next) {

    static <T> Paging<T> of(List<T> all, String marker, int max) {
        int from = 0;
        if (marker != null && !marker.isBlank()) {
            try {
                from = Math.max(0, Integer.parseInt(marker.trim()));
            } catch (NumberFormatException e) {
                from = all.size();
            }
        }
        int size = max <= 0 ? 100 : Math.min(max, 100);
        int to = Math.min(all.size(), from + size);
        List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
        return new Paging<>(items, to < all.size() ? String.valueOf(to) : null);
    }
}
