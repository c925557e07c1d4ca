package dev.pledge.aws;

import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.PurchaseContext;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DescribeReservedInstanceOfferingsRequest;
import software.amazon.awssdk.services.opensearch.model.DescribeReservedInstancesRequest;
import software.amazon.awssdk.services.opensearch.model.RecurringCharge;
import software.amazon.awssdk.services.opensearch.model.ReservedInstance;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenSearch reserved instances (REST-JSON), keyed by {@code ReservationName} (5-64 characters).
 * The describe filters only by AWS's own id, so the guard lists and matches the name. The
 * purchase takes no tags.
 */
final class OpenSearchReservedInstanceExecutor extends KeyedExecutor {

    OpenSearchReservedInstanceExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_OPENSEARCH);
    }

    private OpenSearchClient openSearch(CommitmentRequest r) {
        return openSearch(r, AwsClients.Attempts.BOUNDED);
    }

    private OpenSearchClient openSearch(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.OPENSEARCH, OpenSearchClient.class, r.account(), r.region(), attempts);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of();
    }

    @Override
    String keyName() {
        return "ReservationName";
    }

    @Override
    String key(PurchaseContext context) {
        String name = itemKey(context);
        KeyDerivation.checkLength("ReservationName", name, 5, 64);
        return name;
    }

    @Override
    String alreadyExistsCode() {
        return "ResourceAlreadyExistsException";
    }

    static String paymentOption(CommitmentRequest r) {
        return r.payment().slug().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        return openSearch(r).describeReservedInstanceOfferingsPaginator(
                        DescribeReservedInstanceOfferingsRequest.builder().build())
                .stream().flatMap(page -> page.reservedInstanceOfferings().stream())
                .filter(o -> r.offering().equalsIgnoreCase(o.instanceTypeAsString())
                        && o.duration() != null && o.duration() == durationSeconds(r)
                        && paymentOption(r).equals(o.paymentOptionAsString()))
                .findFirst()
                .map(o -> new OfferingRef(o.reservedInstanceOfferingId(), o.instanceTypeAsString(), o.currencyCode(),
                        OfferingRef.amount(o.fixedPrice()), hourly(o.recurringCharges())));
    }

    private static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.recurringChargeFrequency()))
                .map(c -> OfferingRef.amount(c.recurringChargeAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    Optional<AwsReservation> describeByKey(CommitmentRequest r, String key) {
        return listReservations(r).stream().filter(x -> key.equals(x.key())).findFirst();
    }

    /** The answer carries only the id and name: the state is unknown, so the outcome is followed with confirm. */
    @Override
    AwsReservation buy(CommitmentRequest r, OfferingRef offering, String key, Map<String, String> tags) {
        String id = openSearch(r, AwsClients.Attempts.ONCE).purchaseReservedInstanceOffering(q -> q
                        .reservedInstanceOfferingId(offering.offeringId())
                        .reservationName(key)
                        .instanceCount(r.quantity()))
                .reservedInstanceId();
        return new AwsReservation(id, key, offering.offeringId(), r.offering(), r.quantity(), null, null, null, 0,
                Map.of());
    }

    @Override
    Optional<AwsReservation> describeById(CommitmentRequest r, String id) {
        try {
            return openSearch(r).describeReservedInstances(q -> q.reservedInstanceId(id)).reservedInstances()
                    .stream().filter(ri -> id.equals(ri.reservedInstanceId())).findFirst()
                    .map(OpenSearchReservedInstanceExecutor::reservation);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            if (AwsFailures.hasCode(e, "ResourceNotFoundException")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return openSearch(r).describeReservedInstancesPaginator(DescribeReservedInstancesRequest.builder().build())
                .stream().flatMap(page -> page.reservedInstances().stream())
                .map(OpenSearchReservedInstanceExecutor::reservation).toList();
    }

    private static AwsReservation reservation(ReservedInstance ri) {
        return new AwsReservation(ri.reservedInstanceId(), ri.reservationName(), ri.reservedInstanceOfferingId(),
                ri.instanceTypeAsString(), ri.instanceCount() == null ? 0 : ri.instanceCount(), ri.startTime(),
                ri.state(), ri.paymentOptionAsString(), ri.duration() == null ? 0 : ri.duration(), Map.of());
    }
}
