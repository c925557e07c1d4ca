package dev.pledge.emulator.usage;

import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a usage line still lacks: its units minus the units of the active commitments of the same
 * type, account, region and product. Recomputed on every recommendation call, so a purchase shows at
 * the next refresh (a real cloud takes a day or two).
 */
public final class Shortfall {
    /** Hours per month in the clouds' monthly estimates. */
    public static final BigDecimal HOURS_PER_MONTH = new BigDecimal("730");
    /** Attribute of a commitment bought by amount (AWS Savings Plans, Azure savings plans): units it covers. */
    public static final String AMOUNT = "commitment";

    private Shortfall() {
    }

    /** One usage line with what it lacks and the offering that would cover it. */
    public record Gap(Usage usage, BigDecimal held, BigDecimal missing, Offering offering) {
    }

    /** Gaps of a type in an account, for the given term and payment (null payment: any). */
    public static List<Gap> gaps(CloudState state, dev.pledge.common.model.Cloud cloud, String type, String account,
                                 String term, String payment, boolean byAmount) {
        List<Gap> out = new ArrayList<>();
        Instant now = state.now();
        for (Usage u : state.usage().of(cloud, type, account)) {
            BigDecimal held = BigDecimal.ZERO;
            for (Commitment c : state.commitments(u.cloud(), type, u.account(), u.region())) {
                if (c.offering().product().equals(u.product()) && isActive(c, now)) {
                    held = held.add(byAmount ? new BigDecimal(c.attributes().getOrDefault(AMOUNT, "0"))
                            : BigDecimal.valueOf(c.quantity()));
                }
            }
            BigDecimal missing = u.units().subtract(held);
            if (!byAmount) {
                missing = missing.setScale(0, RoundingMode.DOWN);
            }
            Optional<Offering> offering = offering(state, u, term, payment);
            if (missing.signum() > 0 && offering.isPresent()) {
                out.add(new Gap(u, held, missing, offering.get()));
            }
        }
        return out;
    }

    /** The catalog offering for a usage line: same type, region, product and term; payment when given. */
    public static Optional<Offering> offering(CloudState state, Usage u, String term, String payment) {
        return state.offerings(u.cloud(), u.type(), u.region()).stream()
                .filter(o -> o.product().equals(u.product()) && o.term().equals(term)
                        && (payment == null || payment.equals(o.payment()))
                        && u.attributes().entrySet().stream().allMatch(a -> matchesAttribute(o, a.getKey(),
                        a.getValue())))
                .findFirst();
    }

    private static boolean matchesAttribute(Offering o, String key, String value) {
        if ("productDescription".equals(key)) {
            return o.description().isEmpty() || o.description().equalsIgnoreCase(value);
        }
        String mine = o.attribute(key);
        return mine == null || mine.equalsIgnoreCase(value);
    }

    /** When a commitment ends: its {@code endsAt} attribute, else its start plus the offering's term. */
    public static Instant end(Commitment c) {
        String endsAt = c.attributes().get("endsAt");
        return endsAt != null ? Instant.parse(endsAt) : c.createdAt().plusSeconds(c.offering().durationSeconds());
    }

    /** In force: not ended, and in a state the cloud counts (not retired, expired, failed, canceled). */
    public static boolean isActive(Commitment c, Instant now) {
        String s = c.state().toLowerCase(java.util.Locale.ROOT);
        return end(c).isAfter(now) && !(s.contains("retired") || s.contains("expired") || s.contains("fail")
                || s.contains("cancel"));
    }

    /** The on-demand price of one unit per hour: the usage's own, else the no-upfront price over the discount. */
    public static BigDecimal onDemandHourly(CloudState state, Usage u, Offering offering) {
        if (u.onDemandHourly() != null) {
            return u.onDemandHourly();
        }
        BigDecimal discount = offering.years() == 1 ? new BigDecimal("0.70") : new BigDecimal("0.50");
        BigDecimal effective = offering.hourly().add(offering.upfront().divide(
                BigDecimal.valueOf(offering.years() * 8760L), 6, RoundingMode.HALF_UP));
        if (offering.payment() != null && !"no-upfront".equals(offering.payment())) {
            Optional<Offering> noUpfront = offering(state, u, offering.term(), "no-upfront");
            if (noUpfront.isPresent()) {
                effective = noUpfront.get().hourly();
            }
        }
        return effective.divide(discount, 4, RoundingMode.HALF_UP);
    }
}
