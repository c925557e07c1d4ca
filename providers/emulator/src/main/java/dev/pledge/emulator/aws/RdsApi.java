package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.Provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * RDS reserved DB instances (query protocol). The caller's {@code ReservedDBInstanceId} is unique
 * per account: a second purchase under it is {@code ReservedDBInstanceAlreadyExists} with HTTP 404,
 * as the service model declares.
 */
public final class RdsApi extends AwsQueryApi {
    static final String TYPE = "aws-rds";

    public RdsApi() {
        super("rds", "http://rds.amazonaws.com/doc/2014-10-31/", TYPE);
    }

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "postgresql", Map.of("db.r6g.large", "0.26", "db.m5.large", "0.178",
                "db.t3.medium", "0.072"), Map.of("multiAZ", "false"));
    }

    @Override
    Map<String, CallKind> operations() {
        return Map.of("DescribeReservedDBInstancesOfferings", CallKind.OFFERINGS,
                "PurchaseReservedDBInstancesOffering", CallKind.PURCHASE,
                "DescribeReservedDBInstances", CallKind.LOOKUP);
    }

    @Override
    CloudResponse answer(String action, Map<String, String> form, AwsSignature who, CloudState state) {
        return switch (action) {
            case "DescribeReservedDBInstancesOfferings" -> describeOfferings(form, who, state);
            case "PurchaseReservedDBInstancesOffering" -> purchase(form, who, state);
            default -> describeReserved(form, who, state);
        };
    }

    private CloudResponse describeOfferings(Map<String, String> form, AwsSignature who, CloudState state) {
        Predicate<Offering> match = o -> matches(form.get("ReservedDBInstancesOfferingId"), o.offeringId())
                && matches(form.get("DBInstanceClass"), o.product())
                && matchesDuration(form.get("Duration"), o)
                && matches(form.get("ProductDescription"), o.description())
                && matches(form.get("OfferingType"), AwsCatalog.offeringType(o.payment()))
                && matches(form.get("MultiAZ"), o.attributes().getOrDefault("multiAZ", "false"));
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream().filter(match).toList();
        Paging<Offering> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedDBInstancesOfferings");
        for (Offering o : page.items()) {
            xml.open("ReservedDBInstancesOffering").el("ReservedDBInstancesOfferingId", o.offeringId())
                    .el("DBInstanceClass", o.product()).el("Duration", o.durationSeconds())
                    .el("FixedPrice", o.upfront()).el("UsagePrice", 0).el("CurrencyCode", o.currency())
                    .el("ProductDescription", o.description()).el("OfferingType", AwsCatalog.offeringType(o.payment()))
                    .el("MultiAZ", o.attributes().getOrDefault("multiAZ", "false"))
                    .raw(recurring(o)).close("ReservedDBInstancesOffering");
        }
        return ok("DescribeReservedDBInstancesOfferings", xml.close("ReservedDBInstancesOfferings").toString());
    }

    private CloudResponse purchase(Map<String, String> form, AwsSignature who, CloudState state) {
        String offeringId = form.get("ReservedDBInstancesOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return fault(404, "ReservedDBInstancesOfferingNotFound", "Specified offering " + offeringId
                    + " does not exist in " + who.region() + ".");
        }
        int count = intParam(form, "DBInstanceCount", 1);
        if (count < 1) {
            return fault(400, "InvalidParameterValue", "DBInstanceCount must be a positive integer.");
        }
        String id = form.getOrDefault("ReservedDBInstanceId", "ri-" + UUID.randomUUID());
        Commitment c = new Commitment(Cloud.AWS, TYPE, who.account(), who.region(), id, id, offering.get(), count,
                tags(form, "Tags.Tag"), state.now(), "payment-pending".equals(offering.get().attribute("state"))
                ? "payment-pending" : "active", Map.of("leaseId", UUID.randomUUID().toString()));
        c = Provisioning.awsPayment(c, state.now());
        Optional<Commitment> holder = state.addUnlessKeyTaken(c);
        if (holder.isPresent()) {
            return fault(404, "ReservedDBInstanceAlreadyExists", "User already has a reservation with the given"
                    + " identifier " + id + ".");
        }
        return ok("PurchaseReservedDBInstancesOffering", reserved("ReservedDBInstance", c));
    }

    private CloudResponse describeReserved(Map<String, String> form, AwsSignature who, CloudState state) {
        String id = form.get("ReservedDBInstanceId");
        List<Commitment> all = state.commitments(Cloud.AWS, TYPE, who.account(), who.region()).stream()
                .filter(c -> matches(id, c.id()) && matches(form.get("DBInstanceClass"), c.offering().product())
                        && matches(form.get("ReservedDBInstancesOfferingId"), c.offering().offeringId()))
                .toList();
        if (id != null && all.isEmpty()) {
            return fault(404, "ReservedDBInstanceNotFound", "Reserved DB Instance " + id + " not found.");
        }
        Paging<Commitment> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedDBInstances");
        page.items().forEach(c -> xml.raw(reserved("ReservedDBInstance", c)));
        return ok("DescribeReservedDBInstances", xml.close("ReservedDBInstances").toString());
    }

    private static String reserved(String element, Commitment c) {
        Offering o = c.offering();
        return new Xml().open(element).el("ReservedDBInstanceId", c.id())
                .el("ReservedDBInstancesOfferingId", o.offeringId()).el("DBInstanceClass", o.product())
                .el("StartTime", c.createdAt()).el("Duration", o.durationSeconds()).el("FixedPrice", o.upfront())
                .el("UsagePrice", 0).el("CurrencyCode", o.currency()).el("DBInstanceCount", c.quantity())
                .el("ProductDescription", o.description()).el("OfferingType", AwsCatalog.offeringType(o.payment()))
                .el("MultiAZ", o.attributes().getOrDefault("multiAZ", "false")).el("State", c.state())
                .raw(recurring(o))
                .el("ReservedDBInstanceArn", "arn:aws:rds:" + c.region() + ":" + c.account() + ":ri:" + c.id())
                .el("LeaseId", c.attribute("leaseId")).close(element).toString();
    }

    static String recurring(Offering o) {
        Xml xml = new Xml().open("RecurringCharges");
        if (o.hourly().signum() > 0) {
            xml.open("RecurringCharge").el("RecurringChargeAmount", o.hourly())
                    .el("RecurringChargeFrequency", "Hourly").close("RecurringCharge");
        }
        return xml.close("RecurringCharges").toString();
    }

    static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equalsIgnoreCase(actual);
    }

    /** RDS and ElastiCache accept a duration in years ({@code 1}, {@code 3}) or seconds. */
    static boolean matchesDuration(String wanted, Offering o) {
        return wanted == null || wanted.isEmpty() || wanted.equals(String.valueOf(o.years()))
                || wanted.equals(String.valueOf(o.durationSeconds()));
    }
}
