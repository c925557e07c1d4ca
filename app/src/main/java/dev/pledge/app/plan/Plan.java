package dev.pledge.app.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A plan as stored and shown.
 *
 * @param ladderPercent   at most this share (percent) of each recommendation is proposed per cycle
 * @param ladderMaxItems  at most this many items (one per recommendation) per cycle
 * @param reviewHours     auto-approve mode: a proposal is approved this long after it was proposed,
 *                        unless someone rejected it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plan(UUID id, String name, List<UUID> accounts, List<String> types, List<String> regions, String cadence,
                   BigDecimal ladderPercent, Integer ladderMaxItems, BigDecimal minSavingsPercent,
                   BigDecimal maxBreakEvenMonths, Integer renewWithinDays, String mode, Integer reviewHours,
                   String status, String createdBy, Instant createdAt, String approvedBy, Instant approvedAt,
                   Instant nextRunAt) {

    boolean autoApprove() {
        return "auto-approve".equals(mode);
    }
}
