package dev.pledge.app.plan;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** A plan to create, as the API takes it; {@link Plans#create} checks every field and names the bad one. */
public record NewPlan(String name, List<UUID> accounts, List<String> types, List<String> regions, String cadence,
                      BigDecimal ladderPercent, Integer ladderMaxItems, BigDecimal minSavingsPercent,
                      BigDecimal maxBreakEvenMonths, Integer renewWithinDays, String mode, Integer reviewHours) {
}
