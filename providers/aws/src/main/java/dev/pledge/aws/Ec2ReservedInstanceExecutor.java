package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeReservedInstancesOfferingsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RecurringCharge;
import software.amazon.awssdk.services.ec2.model.ReservedInstances;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * EC2 Reserved Instances. {@code PurchaseReservedInstancesOffering} takes no client token and no
 * tags, so this is a {@link LookupGuardExecutor}: tag lookup, then attribute adoption, purchase
 * exactly once, then {@code CreateTags}. Attributes: {@code productDescription} (default
 * {@code Linux/UNIX}), {@code offeringClass} ({@code standard} or {@code convertible}).
 */
final class Ec2ReservedInstanceExecutor extends LookupGuardExecutor {
    static final String PRODUCT_DESCRIPTION = "productDescription";
    static final String OFFERING_CLASS = "offeringClass";
    private static final List<String> HELD = List.of("active", "payment-pending", "queued");

    Ec2ReservedInstanceExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_EC2);
    }

    private Ec2Client ec2(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.EC2, Ec2Client.class, r.account(), r.region(), attempts);
    }

    private Ec2Client ec2(CommitmentRequest r) {
        return ec2(r, AwsClients.Attempts.BOUNDED);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of(PRODUCT_DESCRIPTION, OFFERING_CLASS);
    }

    @Override
    void validateAttributes(CommitmentRequest r) {
        String c = r.attribute(OFFERING_CLASS);
        if (c != null && !c.equals("standard") && !c.equals("convertible")) {
            throw new ValidationException("attributes." + OFFERING_CLASS, "must be standard or convertible, was '"
                    + c + "'");
        }
    }

    private static String productDescription(CommitmentRequest r) {
        return r.attributes().getOrDefault(PRODUCT_DESCRIPTION, "Linux/UNIX");
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        long seconds = durationSeconds(r);
        return ec2(r).describeReservedInstancesOfferingsPaginator(DescribeReservedInstancesOfferingsRequest.builder()
                        .instanceType(r.offering())
                        .productDescription(productDescription(r))
                        .offeringType(offeringType(r))
                        .offeringClass(r.attributes().getOrDefault(OFFERING_CLASS, "standard"))
                        .instanceTenancy("default")
                        .minDuration(seconds).maxDuration(seconds)
                        .includeMarketplace(false)
                        .build())
                .reservedInstancesOfferings().stream().findFirst()
                .map(o -> new OfferingRef(o.reservedInstancesOfferingId(), o.instanceTypeAsString(),
                        o.currencyCodeAsString() == null ? "USD" : o.currencyCodeAsString(),
                        OfferingRef.amount(o.fixedPrice()), hourly(o.recurringCharges())));
    }

    private static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.frequencyAsString()))
                .map(c -> OfferingRef.amount(c.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    Optional<AwsReservation> findTagged(CommitmentRequest r, String itemKey) {
        return ec2(r).describeReservedInstances(q -> q.filters(
                        Filter.builder().name("tag:" + TAG_ITEM).values(itemKey).build(),
                        Filter.builder().name("state").values(HELD).build()))
                .reservedInstances().stream().findFirst().map(Ec2ReservedInstanceExecutor::reservation);
    }

    @Override
    List<AwsReservation> findAdoptable(CommitmentRequest r) {
        return ec2(r).describeReservedInstances(q -> q.filters(
                        Filter.builder().name("instance-type").values(r.offering()).build(),
                        Filter.builder().name("duration").values(String.valueOf(durationSeconds(r))).build(),
                        Filter.builder().name("product-description").values(productDescription(r)).build(),
                        Filter.builder().name("state").values(HELD).build()))
                .reservedInstances().stream()
                .map(Ec2ReservedInstanceExecutor::reservation)
                .filter(x -> sameCommitment(r, x) && !x.tags().containsKey(TAG_ITEM))
                .toList();
    }

    /** The purchase answer carries only the id: the state is unknown, so the outcome is followed with confirm. */
    @Override
    AwsReservation buyOnce(CommitmentRequest r, OfferingRef offering) {
        String id = ec2(r, AwsClients.Attempts.ONCE).purchaseReservedInstancesOffering(q -> q
                .reservedInstancesOfferingId(offering.offeringId())
                .instanceCount(r.quantity())).reservedInstancesId();
        return new AwsReservation(id, null, offering.offeringId(), r.offering(), r.quantity(), null, null, null, 0,
                Map.of());
    }

    @Override
    Optional<AwsReservation> describeById(CommitmentRequest r, String id) {
        try {
            return ec2(r).describeReservedInstances(q -> q.reservedInstancesIds(id)).reservedInstances().stream()
                    .filter(ri -> id.equals(ri.reservedInstancesId())).findFirst()
                    .map(Ec2ReservedInstanceExecutor::reservation);
        } catch (SdkException e) {
            String code = AwsFailures.code(e);
            if (code != null && code.toLowerCase(java.util.Locale.ROOT).startsWith("invalidreservedinstancesid")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    void tag(CommitmentRequest r, String id, Map<String, String> tags) {
        ec2(r).createTags(q -> q.resources(id).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()));
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return ec2(r).describeReservedInstances(q -> q.filters(
                        Filter.builder().name("instance-type").values(r.offering()).build()))
                .reservedInstances().stream().map(Ec2ReservedInstanceExecutor::reservation).toList();
    }

    private static AwsReservation reservation(ReservedInstances ri) {
        Map<String, String> tags = ri.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
        return new AwsReservation(ri.reservedInstancesId(), tags.get(TAG_ITEM), null, ri.instanceTypeAsString(),
                ri.instanceCount() == null ? 0 : ri.instanceCount(), ri.start(), ri.stateAsString(),
                ri.offeringTypeAsString(), ri.duration() == null ? 0 : ri.duration(), tags);
    }
}
