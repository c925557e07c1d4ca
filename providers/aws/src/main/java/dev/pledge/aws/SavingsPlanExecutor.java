package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.savingsplans.SavingsplansClient;
import software.amazon.awssdk.services.savingsplans.model.DescribeSavingsPlansOfferingsRequest;
import software.amazon.awssdk.services.savingsplans.model.DescribeSavingsPlansRequest;
import software.amazon.awssdk.services.savingsplans.model.SavingsPlan;
import software.amazon.awssdk.services.savingsplans.model.SavingsPlanOfferingFilterElement;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Savings Plans (REST-JSON). The caller key is {@code clientToken}, the item's name-based UUID:
 * AWS ignores a repeated token and answers with the first plan's id, so there is no AlreadyExists
 * fault; a plan that started before this call is reported as {@code RECOVERED}. The guard finds
 * the plan by its {@code pledge:item-token} tag. Attributes: {@code hourlyCommitment} (USD per hour,
 * required), {@code instanceFamily} (EC2Instance plans), {@code upfrontPaymentAmount} (partial upfront).
 */
final class SavingsPlanExecutor extends AwsExecutor {
    static final String HOURLY_COMMITMENT = "hourlyCommitment";
    static final String INSTANCE_FAMILY = "instanceFamily";
    static final String UPFRONT_AMOUNT = "upfrontPaymentAmount";
    static final List<String> PLAN_TYPES = List.of("Compute", "EC2Instance", "SageMaker");
    private static final List<String> HELD_STATES = List.of("payment-pending", "active", "queued");
    /** Savings Plans has one global endpoint. */
    private static final String REGION = "us-east-1";

    SavingsPlanExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_SAVINGS_PLAN);
    }

    private SavingsplansClient savingsPlans(CommitmentRequest r) {
        return savingsPlans(r, AwsClients.Attempts.BOUNDED);
    }

    private SavingsplansClient savingsPlans(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.SAVINGSPLANS, SavingsplansClient.class, r.account(), REGION, attempts);
    }

    @Override
    public DedupeStrength dedupeStrength() {
        return DedupeStrength.SERVER_KEY;
    }

    @Override
    Set<String> attributeNames() {
        return Set.of(HOURLY_COMMITMENT, INSTANCE_FAMILY, UPFRONT_AMOUNT);
    }

    @Override
    void validateAttributes(CommitmentRequest r) {
        if (!PLAN_TYPES.contains(r.offering())) {
            throw new ValidationException("offering", "'" + r.offering() + "' is not a Savings Plan type; allowed: "
                    + String.join(", ", PLAN_TYPES));
        }
        if (r.quantity() != 1) {
            throw new ValidationException("quantity", "must be 1 for aws-savings-plan (the amount is attributes."
                    + HOURLY_COMMITMENT + "), was " + r.quantity());
        }
        decimal(r, HOURLY_COMMITMENT, "the hourly commitment in USD, e.g. 2.5", true);
        if ("EC2Instance".equals(r.offering())) {
            r.requireAttribute(INSTANCE_FAMILY, "the EC2 instance family of an EC2Instance plan, e.g. m5");
        } else if (r.attribute(INSTANCE_FAMILY) != null) {
            throw new ValidationException("attributes." + INSTANCE_FAMILY, "applies to EC2Instance plans only");
        }
        if (r.payment() == PaymentOption.PARTIAL_UPFRONT) {
            decimal(r, UPFRONT_AMOUNT, "the upfront amount in USD of a partial-upfront plan", true);
        } else if (r.attribute(UPFRONT_AMOUNT) != null) {
            throw new ValidationException("attributes." + UPFRONT_AMOUNT, "applies to partial-upfront plans only");
        }
    }

    private static BigDecimal decimal(CommitmentRequest r, String key, String what, boolean required) {
        String v = required ? r.requireAttribute(key, what) : r.attribute(key);
        try {
            BigDecimal d = new BigDecimal(v.trim());
            if (d.signum() <= 0 || d.compareTo(new BigDecimal("1000000")) > 0 || d.scale() > 3) {
                throw new ValidationException("attributes." + key, "must be greater than 0, at most 1000000, with at"
                        + " most 3 decimals, was '" + v + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ValidationException("attributes." + key, "must be a decimal number (" + what + "), was '" + v
                    + "'");
        }
    }

    static String clientToken(PurchaseContext context) {
        return context.keySource().uuid().toString();
    }

    @Override
    public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        // ordered, so a dry run prints the same lines in the same order every time
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("clientToken", clientToken(context));
        keys.put("tag " + TAG_ITEM, itemKey(context));
        return keys;
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        String token = clientToken(context);
        String itemKey = itemKey(context);
        log.info("purchase {} {} USD/h {} {} in {} with clientToken {} ({})", type().slug(),
                request.attribute(HOURLY_COMMITMENT), request.offering(), request.term().slug(), request.account(),
                token, context);
        if (context.idempotent()) {
            refuseIfInFlight(context);
            Optional<SavingsPlan> held;
            try {
                held = listPlans(request, true).stream().filter(p -> itemKey.equals(p.tags().get(TAG_ITEM)))
                        .findFirst();
            } catch (SdkException e) {
                throw AwsFailures.guard("looking up the Savings Plan tagged " + TAG_ITEM + "=" + itemKey, e);
            }
            if (held.isPresent()) {
                checkSame(request, held.get(), token);
                log.info("Savings Plan {} is already this item's ({})", held.get().savingsPlanId(),
                        held.get().stateAsString());
                return PurchaseOutcome.alreadyOwned(held.get().savingsPlanId(), token)
                        .confirmingIf(notFinal(held.get().stateAsString()));
            }
        }
        OfferingRef offering = offeringAfterGuard(request, context);
        Instant sent = clients.settings().clock().instant();
        // the clientToken dedupes: AWS answers a repeated token with the first plan's id, so the loop may retry
        String id = purchaseWithRetries(request, context, "purchase of Savings Plan with clientToken " + token,
                () -> savingsPlans(request, AwsClients.Attempts.ONCE).createSavingsPlan(q -> {
                    q.savingsPlanOfferingId(offering.offeringId())
                            .commitment(request.attribute(HOURLY_COMMITMENT).trim())
                            .clientToken(token)
                            .tags(tags(context));
                    if (request.attribute(UPFRONT_AMOUNT) != null) {
                        q.upfrontPaymentAmount(request.attribute(UPFRONT_AMOUNT).trim());
                    }
                }).savingsPlanId(), null, null);
        if (!context.idempotent()) {
            // the answer carries only the id; the one-off mode sends no lookups, so the state is followed with confirm
            log.info("bought Savings Plan {} with clientToken {}", id, token);
            return PurchaseOutcome.bought(id, token).confirmingIf(true);
        }
        Optional<SavingsPlan> plan = describeBought(request, id);
        boolean confirming = plan.map(p -> notFinal(p.stateAsString())).orElse(true);
        if (plan.isPresent() && startedBefore(plan.get(), sent)) {
            log.info("clientToken {} had already bought Savings Plan {}", token, id);
            return PurchaseOutcome.recovered(id, token).confirmingIf(confirming);
        }
        log.info("bought Savings Plan {} with clientToken {}", id, token);
        return PurchaseOutcome.bought(id, token).confirmingIf(confirming);
    }

    /** The plan AWS answered with, checked against the request; empty when the describe fails or lags. */
    private Optional<SavingsPlan> describeBought(CommitmentRequest request, String id) {
        Optional<SavingsPlan> plan;
        try {
            plan = savingsPlans(request).describeSavingsPlans(q -> q.savingsPlanIds(id)).savingsPlans().stream()
                    .findFirst();
        } catch (SdkException e) {
            log.warn("bought Savings Plan {} but describing it failed ({}); reporting it as bought, to be confirmed",
                    id, AwsFailures.rootCause(e));
            return Optional.empty();
        }
        plan.ifPresent(p -> checkSame(request, p, id));
        return plan;
    }

    /** True when the plan AWS answered with began before this call: the token had bought it already. */
    private boolean startedBefore(SavingsPlan plan, Instant sent) {
        Instant start = start(plan);
        return start != null && start.isBefore(sent.minus(clients.settings().clockSkew()));
    }

    @Override
    Optional<AwsReservation> describeById(CommitmentRequest r, String id) {
        return savingsPlans(r).describeSavingsPlans(q -> q.savingsPlanIds(id)).savingsPlans().stream()
                .filter(p -> id.equals(p.savingsPlanId())).findFirst().map(SavingsPlanExecutor::reservation);
    }

    private void checkSame(CommitmentRequest request, SavingsPlan p, String key) {
        BigDecimal wanted = new BigDecimal(request.attribute(HOURLY_COMMITMENT).trim());
        boolean same = request.offering().equals(p.savingsPlanTypeAsString())
                && p.commitment() != null && new BigDecimal(p.commitment()).compareTo(wanted) == 0
                && offeringType(request).equalsIgnoreCase(p.paymentOptionAsString())
                && (p.termDurationInSeconds() == null || p.termDurationInSeconds() == durationSeconds(request));
        if (!same) {
            throw new KeyConflictException("Savings Plan " + p.savingsPlanId() + " for key " + key + " is "
                    + p.savingsPlanTypeAsString() + " " + p.commitment() + " USD/h " + p.paymentOptionAsString()
                    + ", but this item asks for " + request.offering() + " " + wanted + " USD/h "
                    + offeringType(request) + "; nothing was bought. Check the item before re-driving.");
        }
    }

    private List<SavingsPlan> listPlans(CommitmentRequest r, boolean heldOnly) {
        DescribeSavingsPlansRequest.Builder q = DescribeSavingsPlansRequest.builder();
        if (heldOnly) {
            q.statesWithStrings(HELD_STATES);
        }
        List<SavingsPlan> out = new ArrayList<>();
        String next = null;
        do {
            String page = next;
            var response = savingsPlans(r).describeSavingsPlans(q.nextToken(page).build());
            out.addAll(response.savingsPlans());
            next = response.nextToken();
        } while (next != null && !next.isEmpty());
        return out;
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        DescribeSavingsPlansOfferingsRequest.Builder q = DescribeSavingsPlansOfferingsRequest.builder()
                .planTypesWithStrings(r.offering())
                .paymentOptionsWithStrings(offeringType(r))
                .durations(durationSeconds(r));
        if (r.attribute(INSTANCE_FAMILY) != null) {
            q.filters(SavingsPlanOfferingFilterElement.builder().name("region").values(r.region()).build(),
                    SavingsPlanOfferingFilterElement.builder().name("instanceFamily")
                            .values(r.attribute(INSTANCE_FAMILY)).build());
        }
        BigDecimal commitment = new BigDecimal(r.attribute(HOURLY_COMMITMENT).trim());
        BigDecimal hours = BigDecimal.valueOf(r.term().years() * 8760L);
        return savingsPlans(r).describeSavingsPlansOfferings(q.build()).searchResults().stream().findFirst()
                .map(o -> {
                    // AWS prices a plan by its commitment: all of it upfront, half, or none.
                    BigDecimal upfront = switch (r.payment()) {
                        case ALL_UPFRONT -> commitment.multiply(hours);
                        case PARTIAL_UPFRONT -> new BigDecimal(r.attribute(UPFRONT_AMOUNT).trim());
                        default -> BigDecimal.ZERO;
                    };
                    BigDecimal hourly = r.payment() == PaymentOption.ALL_UPFRONT ? BigDecimal.ZERO
                            : r.payment() == PaymentOption.PARTIAL_UPFRONT
                            ? commitment.subtract(upfront.divide(hours, 4, java.math.RoundingMode.HALF_UP)).max(BigDecimal.ZERO)
                            : commitment;
                    return new OfferingRef(o.offeringId(), o.planTypeAsString(), o.currencyAsString(), upfront, hourly);
                });
    }

    /** A Savings Plan's price is its hourly commitment (with its upfront part): quantity does not multiply it. */
    @Override
    dev.pledge.common.spi.PriceQuote priceOf(CommitmentRequest request, OfferingRef o) {
        return new dev.pledge.common.spi.PriceQuote(o.currency(), o.upfront(), o.hourly(), "hour", o.offeringId());
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return listPlans(r, false).stream().map(SavingsPlanExecutor::reservation).toList();
    }

    private static AwsReservation reservation(SavingsPlan p) {
        return new AwsReservation(p.savingsPlanId(), p.tags().get(TAG_ITEM), p.offeringId(),
                p.savingsPlanTypeAsString(), 1, start(p), p.stateAsString(), p.paymentOptionAsString(),
                p.termDurationInSeconds() == null ? 0 : p.termDurationInSeconds(), p.tags());
    }

    private static Instant start(SavingsPlan p) {
        try {
            return p.start() == null ? null : Instant.parse(p.start());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
