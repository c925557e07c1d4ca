package dev.pledge.app.web;

import dev.pledge.app.execution.ExecutionPage;
import dev.pledge.app.execution.ExecutionQuery;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The query of {@code GET /api/v1/purchases}: {@code status} (repeatable or comma-separated),
 * {@code cloud}, {@code account}, {@code createdFrom} (inclusive), {@code createdBefore} (exclusive),
 * {@code limit} (1-200, default 50) and the opaque {@code cursor} of the previous page. An unknown
 * parameter is an error rather than a filter silently ignored.
 */
final class PurchaseListing {
    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> PARAMETERS = Set.of("status", "cloud", "account", "createdFrom",
            "createdBefore", "limit", "cursor");

    private final ExecutionQuery query;

    private PurchaseListing(ExecutionQuery query) {
        this.query = query;
    }

    static PurchaseListing query(Map<String, String> all, List<String> statuses) {
        for (String name : all.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new ValidationException(name, "unknown query parameter; allowed: "
                        + PARAMETERS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        Instant from = instant("createdFrom", all.get("createdFrom"));
        Instant before = instant("createdBefore", all.get("createdBefore"));
        if (from != null && before != null && !from.isBefore(before)) {
            throw new ValidationException("createdBefore", "must be after createdFrom");
        }
        String cloud = all.get("cloud");
        String account = all.get("account");
        String cursor = all.get("cursor");
        if (cursor != null && (cursor.isBlank() || cursor.length() > 200)) {
            throw new ValidationException("cursor", "is not a cursor this service issued");
        }
        return new PurchaseListing(new ExecutionQuery(statuses(statuses),
                cloud == null ? null : Cloud.fromSlug("cloud", cloud), uuid("account", account), from, before,
                limit(all.get("limit")), cursor));
    }

    PurchasePage run(ExecutionService executions) {
        ExecutionPage page = executions.list(query);
        return new PurchasePage(page.executions().stream().map(PurchaseView::of).toList(), page.nextCursor());
    }

    private static Set<ExecutionStatus> statuses(List<String> values) {
        if (values == null) {
            return Set.of();
        }
        EnumSet<ExecutionStatus> out = EnumSet.noneOf(ExecutionStatus.class);
        for (String value : values) {
            for (String s : value.split(",")) {
                try {
                    out.add(ExecutionStatus.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ValidationException("status", "unknown status '" + s + "'; allowed: "
                            + Arrays.stream(ExecutionStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            }
        }
        return out;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > ExecutionQuery.MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException("limit", "must be a whole number 1-" + ExecutionQuery.MAX_LIMIT + ", was '"
                    + value + "'");
        }
    }

    private static UUID uuid(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "'" + value + "' is not an id (a UUID)");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "'" + value + "' is not an instant such as 2026-01-31T09:00:00Z");
        }
    }
}
