package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeReservedDbInstancesOfferingsRequest;
import software.amazon.awssdk.services.rds.model.DescribeReservedDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.RecurringCharge;
import software.amazon.awssdk.services.rds.model.ReservedDBInstance;
import software.amazon.awssdk.services.rds.model.ReservedDBInstancesOffering;
import software.amazon.awssdk.services.rds.model.Tag;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** RDS reserved DB instances, keyed by {@code ReservedDBInstanceId}. */
final class RdsReservedInstanceExecutor extends KeyedExecutor {
    static final String PRODUCT_DESCRIPTION = "productDescription";
    static final String MULTI_AZ = "multiAz";

    RdsReservedInstanceExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_RDS);
    }

    private RdsClient rds(CommitmentRequest r) {
        return rds(r, AwsClients.Attempts.BOUNDED);
    }

    private RdsClient rds(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.RDS, RdsClient.class, r.account(), r.region(), attempts);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of(PRODUCT_DESCRIPTION, MULTI_AZ);
    }

    @Override
    void validateAttributes(CommitmentRequest r) {
        String multiAz = r.attribute(MULTI_AZ);
        if (multiAz != null && !multiAz.equals("true") && !multiAz.equals("false")) {
            throw new ValidationException("attributes." + MULTI_AZ, "must be true or false, was '" + multiAz + "'");
        }
    }

    @Override
    String keyName() {
        return "ReservedDBInstanceId";
    }

    @Override
    String alreadyExistsCode() {
        return "ReservedDBInstanceAlreadyExists";
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        DescribeReservedDbInstancesOfferingsRequest.Builder q = DescribeReservedDbInstancesOfferingsRequest.builder()
                .dbInstanceClass(r.offering()).duration(String.valueOf(durationSeconds(r)))
                .offeringType(offeringType(r)).multiAZ(Boolean.parseBoolean(r.attribute(MULTI_AZ)));
        if (r.attribute(PRODUCT_DESCRIPTION) != null) {
            q.productDescription(r.attribute(PRODUCT_DESCRIPTION));
        }
        List<ReservedDBInstancesOffering> found = rds(r).describeReservedDBInstancesOfferingsPaginator(q.build())
                .reservedDBInstancesOfferings().stream().toList();
        if (found.size() > 1 && r.attribute(PRODUCT_DESCRIPTION) == null) {
            throw new ValidationException("attributes." + PRODUCT_DESCRIPTION, "is required to choose among "
                    + found.stream().map(ReservedDBInstancesOffering::productDescription).distinct().sorted().toList()
                    + " for " + r.offering());
        }
        return found.stream().findFirst().map(o -> new OfferingRef(o.reservedDBInstancesOfferingId(),
                o.dbInstanceClass(), o.currencyCode(), OfferingRef.amount(o.fixedPrice()), hourly(o.recurringCharges())));
    }

    static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.recurringChargeFrequency()))
                .map(c -> OfferingRef.amount(c.recurringChargeAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    Optional<AwsReservation> describeByKey(CommitmentRequest r, String key) {
        try {
            return rds(r).describeReservedDBInstances(q -> q.reservedDBInstanceId(key)).reservedDBInstances().stream()
                    .findFirst().map(RdsReservedInstanceExecutor::reservation);
        } catch (SdkException e) {
            if (AwsFailures.hasCode(e, "ReservedDBInstanceNotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    AwsReservation buy(CommitmentRequest r, OfferingRef offering, String key, Map<String, String> tags) {
        return reservation(rds(r, AwsClients.Attempts.ONCE).purchaseReservedDBInstancesOffering(q -> q
                        .reservedDBInstancesOfferingId(offering.offeringId())
                        .reservedDBInstanceId(key)
                        .dbInstanceCount(r.quantity())
                        .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                                .toList()))
                .reservedDBInstance());
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return rds(r).describeReservedDBInstancesPaginator(DescribeReservedDbInstancesRequest.builder()
                        .dbInstanceClass(r.offering()).build())
                .reservedDBInstances().stream().map(RdsReservedInstanceExecutor::reservation).toList();
    }

    private static AwsReservation reservation(ReservedDBInstance ri) {
        return new AwsReservation(ri.reservedDBInstanceId(), ri.reservedDBInstanceId(),
                ri.reservedDBInstancesOfferingId(), ri.dbInstanceClass(),
                ri.dbInstanceCount() == null ? 0 : ri.dbInstanceCount(), ri.startTime(), ri.state(), ri.offeringType(),
                ri.duration() == null ? 0 : ri.duration(), Map.of());
    }
}
