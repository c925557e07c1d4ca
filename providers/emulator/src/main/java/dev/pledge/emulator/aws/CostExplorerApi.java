package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudApi;
import dev.pledge.emulator.CloudCall;
import dev.pledge.emulator.CloudRequest;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.usage.Shortfall;
import dev.pledge.emulator.usage.Usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Cost Explorer on JSON 1.1 ({@code X-Amz-Target: AWSInsightsIndexService.<Operation>}):
 * {@code GetReservationPurchaseRecommendation} and {@code GetSavingsPlansPurchaseRecommendation}, derived
 * from the usage model minus the active commitments held, recomputed on every call; every amount and count
 * is a JSON string, as Cost Explorer sends them. Paged by {@code PageSize} / {@code NextPageToken} over the
 * recommendation details. {@code StartSavingsPlansPurchaseRecommendationGeneration} answers at once.
 */
public final class CostExplorerApi implements CloudApi {
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String PREFIX = "AWSInsightsIndexService.";
    static final Map<String, String> SERVICES = Map.of(
            "Amazon Elastic Compute Cloud - Compute", "aws-ec2",
            "Amazon Relational Database Service", "aws-rds",
            "Amazon ElastiCache", "aws-elasticache",
            "Amazon OpenSearch Service", "aws-opensearch",
            "Amazon Redshift", "aws-redshift",
            "Amazon MemoryDB Service", "aws-memorydb");

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        String target = request.header("X-Amz-Target");
        if (!"POST".equals(request.method()) || target == null || !target.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String op = target.substring(PREFIX.length());
        String type = switch (op) {
            case "GetReservationPurchaseRecommendation" -> SERVICES.get(AwsJson.text(request.json(), "Service"));
            case "GetSavingsPlansPurchaseRecommendation", "StartSavingsPlansPurchaseRecommendationGeneration" ->
                    SavingsPlansApi.TYPE;
            default -> null;
        };
        return Optional.of(new CloudCall(Cloud.AWS, type, op, CallKind.OTHER));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Map<String, Object> body = request.json();
        AwsSignature who = AwsSignature.of(request);
        return switch (call.operation()) {
            case "GetReservationPurchaseRecommendation" -> reservations(body, who, state);
            case "GetSavingsPlansPurchaseRecommendation" -> savingsPlans(body, who, state);
            case "StartSavingsPlansPurchaseRecommendationGeneration" -> CloudResponse.json(200, CONTENT_TYPE,
                    Map.of("RecommendationId", UUID.randomUUID().toString(),
                            "GenerationStartedTime", state.now().toString(),
                            "EstimatedCompletionTime", state.now().toString()));
            default -> error(call, request, 400, "ValidationException", "Unsupported operation " + call.operation());
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String c = code != null ? code : status >= 500 ? "InternalServerException" : "ValidationException";
        return CloudResponse.json(status, CONTENT_TYPE, Map.of("__type", c, "Message", message));
    }

    /** Cost Explorer's rate limit answer; the SDK treats {@code LimitExceededException} as throttling. */
    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 400, "LimitExceededException", "Rate exceeded");
    }

    private static String account(Map<String, Object> body, AwsSignature who) {
        String id = AwsJson.text(body, "AccountId");
        return id != null ? id : who.account();
    }

    private CloudResponse reservations(Map<String, Object> body, AwsSignature who, CloudState state) {
        String service = AwsJson.text(body, "Service");
        String type = SERVICES.get(service);
        if (type == null) {
            return error(null, null, 400, "ValidationException", "Service '" + service + "' is not supported; allowed: "
                    + String.join(", ", SERVICES.keySet()));
        }
        String term = term(AwsJson.text(body, "TermInYears"));
        String payment = payment(AwsJson.text(body, "PaymentOption"));
        String lookback = Optional.ofNullable(AwsJson.text(body, "LookbackPeriodInDays")).orElse("SEVEN_DAYS");
        if (term == null || payment == null) {
            return error(null, null, 400, "ValidationException", "TermInYears and PaymentOption must be valid");
        }
        String account = account(body, who);
        List<Shortfall.Gap> gaps = Shortfall.gaps(state, Cloud.AWS, type, account, term, payment, false);
        Integer size = AwsJson.integer(body, "PageSize");
        Paging<Shortfall.Gap> page = Paging.of(gaps, AwsJson.text(body, "NextPageToken"), size == null ? 100 : size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Metadata", Map.of("RecommendationId", recommendationId(account, type, term, payment, lookback, gaps),
                "GenerationTimestamp", state.now().toString(), "LookbackPeriodInDays", lookback));
        if (!page.items().isEmpty()) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("AccountScope", Optional.ofNullable(AwsJson.text(body, "AccountScope")).orElse("PAYER"));
            rec.put("LookbackPeriodInDays", lookback);
            rec.put("TermInYears", AwsJson.text(body, "TermInYears"));
            rec.put("PaymentOption", AwsJson.text(body, "PaymentOption"));
            rec.put("RecommendationDetails", page.items().stream().map(g -> detail(state, type, account, g)).toList());
            BigDecimal total = page.items().stream().map(g -> estimate(state, g).savings)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            rec.put("RecommendationSummary", Map.of("TotalEstimatedMonthlySavingsAmount", total.toPlainString(),
                    "TotalEstimatedMonthlySavingsPercentage", "0", "CurrencyCode", "USD"));
            out.put("Recommendations", List.of(rec));
        } else {
            out.put("Recommendations", List.of());
        }
        if (page.next() != null) {
            out.put("NextPageToken", page.next());
        }
        return CloudResponse.json(200, CONTENT_TYPE, out);
    }

    private record Estimate(BigDecimal onDemandMonthly, BigDecimal recurringMonthly, BigDecimal upfront,
                            BigDecimal savings, BigDecimal breakEven) {
    }

    private static Estimate estimate(CloudState state, Shortfall.Gap g) {
        Offering o = g.offering();
        BigDecimal qty = g.missing();
        BigDecimal od = Shortfall.onDemandHourly(state, g.usage(), o).multiply(Shortfall.HOURS_PER_MONTH)
                .multiply(qty);
        BigDecimal recurring = o.hourly().multiply(Shortfall.HOURS_PER_MONTH).multiply(qty);
        BigDecimal upfront = o.upfront().multiply(qty);
        BigDecimal months = BigDecimal.valueOf(o.years() * 12L);
        BigDecimal savings = od.subtract(recurring).subtract(upfront.divide(months, 6, RoundingMode.HALF_UP));
        BigDecimal monthlyGain = od.subtract(recurring);
        BigDecimal breakEven = upfront.signum() == 0 ? BigDecimal.ZERO : monthlyGain.signum() <= 0 ? null
                : upfront.divide(monthlyGain, 2, RoundingMode.HALF_UP);
        return new Estimate(od.setScale(2, RoundingMode.HALF_UP), recurring.setScale(2, RoundingMode.HALF_UP),
                upfront.setScale(2, RoundingMode.HALF_UP), savings.setScale(2, RoundingMode.HALF_UP), breakEven);
    }

    private static Map<String, Object> detail(CloudState state, String type, String account, Shortfall.Gap g) {
        Usage u = g.usage();
        Estimate e = estimate(state, g);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("AccountId", account);
        d.put("InstanceDetails", instanceDetails(type, u));
        String units = u.units().stripTrailingZeros().toPlainString();
        d.put("RecommendedNumberOfInstancesToPurchase", g.missing().toPlainString());
        d.put("RecommendedNormalizedUnitsToPurchase", g.missing().multiply(BigDecimal.valueOf(4)).toPlainString());
        d.put("MinimumNumberOfInstancesUsedPerHour", units);
        d.put("MinimumNormalizedUnitsUsedPerHour", u.units().multiply(BigDecimal.valueOf(4)).toPlainString());
        d.put("MaximumNumberOfInstancesUsedPerHour", units);
        d.put("MaximumNormalizedUnitsUsedPerHour", u.units().multiply(BigDecimal.valueOf(4)).toPlainString());
        d.put("AverageNumberOfInstancesUsedPerHour", units);
        d.put("AverageNormalizedUnitsUsedPerHour", u.units().multiply(BigDecimal.valueOf(4)).toPlainString());
        d.put("AverageUtilization", "100.0");
        d.put("EstimatedBreakEvenInMonths", e.breakEven == null ? "0" : e.breakEven.toPlainString());
        d.put("CurrencyCode", g.offering().currency());
        d.put("EstimatedMonthlySavingsAmount", e.savings.toPlainString());
        BigDecimal pct = e.onDemandMonthly.signum() == 0 ? BigDecimal.ZERO
                : e.savings.multiply(BigDecimal.valueOf(100)).divide(e.onDemandMonthly, 2, RoundingMode.HALF_UP);
        d.put("EstimatedMonthlySavingsPercentage", pct.toPlainString());
        d.put("EstimatedMonthlyOnDemandCost", e.onDemandMonthly.toPlainString());
        d.put("EstimatedReservationCostForLookbackPeriod", e.recurringMonthly.toPlainString());
        d.put("UpfrontCost", e.upfront.toPlainString());
        d.put("RecurringStandardMonthlyCost", e.recurringMonthly.toPlainString());
        return d;
    }

    private static Map<String, Object> instanceDetails(String type, Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        String family = u.product().contains(".") ? u.product().split("\\.")[u.product().startsWith("db.")
                || u.product().startsWith("cache.") ? 1 : 0] : u.product();
        m.put("Region", u.region());
        m.put("CurrentGeneration", true);
        m.put("SizeFlexEligible", true);
        switch (type) {
            case "aws-ec2" -> {
                m.put("Family", family);
                m.put("InstanceType", u.product());
                m.put("Platform", u.attributes().getOrDefault("productDescription", "Linux/UNIX"));
                m.put("Tenancy", "default");
                return Map.of("EC2InstanceDetails", m);
            }
            case "aws-rds" -> {
                m.put("Family", family);
                m.put("InstanceType", u.product());
                m.put("DatabaseEngine", u.attributes().getOrDefault("productDescription", "postgresql"));
                m.put("DeploymentOption", "true".equals(u.attributes().get("multiAz")) ? "Multi-AZ" : "Single-AZ");
                m.put("LicenseModel", "No license required");
                return Map.of("RDSInstanceDetails", m);
            }
            case "aws-elasticache" -> {
                m.put("Family", family);
                m.put("NodeType", u.product());
                m.put("ProductDescription", u.attributes().getOrDefault("productDescription", "redis"));
                return Map.of("ElastiCacheInstanceDetails", m);
            }
            case "aws-opensearch" -> {
                int dot = u.product().indexOf('.');
                m.put("InstanceClass", dot < 0 ? u.product() : u.product().substring(0, dot));
                m.put("InstanceSize", dot < 0 ? "" : u.product().substring(dot + 1));
                return Map.of("ESInstanceDetails", m);
            }
            case "aws-redshift" -> {
                m.put("Family", family);
                m.put("NodeType", u.product());
                return Map.of("RedshiftInstanceDetails", m);
            }
            default -> {
                m.put("Family", family);
                m.put("NodeType", u.product());
                return Map.of("MemoryDBInstanceDetails", m);
            }
        }
    }

    private CloudResponse savingsPlans(Map<String, Object> body, AwsSignature who, CloudState state) {
        String planType = AwsJson.text(body, "SavingsPlansType");
        String term = term(AwsJson.text(body, "TermInYears"));
        String payment = payment(AwsJson.text(body, "PaymentOption"));
        String lookback = AwsJson.text(body, "LookbackPeriodInDays");
        if (planType == null || term == null || payment == null || lookback == null) {
            return error(null, null, 400, "ValidationException",
                    "SavingsPlansType, TermInYears, PaymentOption and LookbackPeriodInDays are required");
        }
        String product = switch (planType) {
            case "COMPUTE_SP" -> "Compute";
            case "EC2_INSTANCE_SP" -> "EC2Instance";
            default -> null;
        };
        String account = account(body, who);
        if (body.get("Filter") instanceof Map<?, ?> f && f.get("Dimensions") instanceof Map<?, ?> dim
                && "LINKED_ACCOUNT".equals(dim.get("Key")) && dim.get("Values") instanceof List<?> vs && !vs.isEmpty()) {
            account = String.valueOf(vs.get(0));
        }
        List<Shortfall.Gap> gaps = product == null ? List.of()
                : Shortfall.gaps(state, Cloud.AWS, SavingsPlansApi.TYPE, account, term, payment, true).stream()
                .filter(g -> g.usage().product().equals(product)).toList();
        Integer size = AwsJson.integer(body, "PageSize");
        Paging<Shortfall.Gap> page = Paging.of(gaps, AwsJson.text(body, "NextPageToken"), size == null ? 100 : size);
        String finalAccount = account;
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("AccountScope", Optional.ofNullable(AwsJson.text(body, "AccountScope")).orElse("PAYER"));
        rec.put("SavingsPlansType", planType);
        rec.put("TermInYears", AwsJson.text(body, "TermInYears"));
        rec.put("PaymentOption", AwsJson.text(body, "PaymentOption"));
        rec.put("LookbackPeriodInDays", lookback);
        rec.put("SavingsPlansPurchaseRecommendationDetails", page.items().stream()
                .map(g -> planDetail(g, finalAccount, term)).toList());
        BigDecimal total = page.items().stream().map(g -> planSavings(g, term)).reduce(BigDecimal.ZERO, BigDecimal::add);
        rec.put("SavingsPlansPurchaseRecommendationSummary", Map.of(
                "EstimatedMonthlySavingsAmount", total.toPlainString(), "CurrencyCode", "USD",
                "TotalRecommendationCount", String.valueOf(gaps.size())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Metadata", Map.of("RecommendationId", recommendationId(account, planType, term, payment, lookback,
                gaps), "GenerationTimestamp", state.now().toString(), "LookbackPeriodInDays", lookback));
        out.put("SavingsPlansPurchaseRecommendation", rec);
        if (page.next() != null) {
            out.put("NextPageToken", page.next());
        }
        return CloudResponse.json(200, CONTENT_TYPE, out);
    }

    private static BigDecimal discount(String term) {
        return "1y".equals(term) ? new BigDecimal("0.70") : new BigDecimal("0.50");
    }

    private static BigDecimal planSavings(Shortfall.Gap g, String term) {
        BigDecimal commitment = g.missing();
        BigDecimal onDemand = commitment.divide(discount(term), 6, RoundingMode.HALF_UP);
        return onDemand.subtract(commitment).multiply(Shortfall.HOURS_PER_MONTH).setScale(2, RoundingMode.HALF_UP);
    }

    private static Map<String, Object> planDetail(Shortfall.Gap g, String account, String term) {
        Offering o = g.offering();
        BigDecimal commitment = g.missing().setScale(3, RoundingMode.DOWN);
        BigDecimal onDemandHourly = commitment.divide(discount(term), 3, RoundingMode.HALF_UP);
        BigDecimal savings = planSavings(g, term);
        BigDecimal upfront = o.upfront().multiply(commitment).setScale(2, RoundingMode.HALF_UP);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("Region", g.usage().region());
        if (o.attribute("instanceFamily") != null) {
            details.put("InstanceFamily", o.attribute("instanceFamily"));
        }
        details.put("OfferingId", o.offeringId());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("SavingsPlansDetails", details);
        d.put("AccountId", account);
        d.put("UpfrontCost", upfront.toPlainString());
        d.put("EstimatedROI", "42.86");
        d.put("CurrencyCode", o.currency());
        d.put("EstimatedSPCost", commitment.multiply(Shortfall.HOURS_PER_MONTH).toPlainString());
        d.put("EstimatedOnDemandCost", onDemandHourly.multiply(Shortfall.HOURS_PER_MONTH).toPlainString());
        d.put("EstimatedSavingsAmount", savings.toPlainString());
        d.put("EstimatedSavingsPercentage", BigDecimal.ONE.subtract(discount(term)).multiply(BigDecimal.valueOf(100))
                .setScale(2, RoundingMode.HALF_UP).toPlainString());
        d.put("HourlyCommitmentToPurchase", commitment.toPlainString());
        d.put("EstimatedAverageUtilization", "100.0");
        d.put("EstimatedMonthlySavingsAmount", savings.toPlainString());
        d.put("CurrentMinimumHourlyOnDemandSpend", onDemandHourly.toPlainString());
        d.put("CurrentMaximumHourlyOnDemandSpend", onDemandHourly.toPlainString());
        d.put("CurrentAverageHourlyOnDemandSpend", onDemandHourly.toPlainString());
        d.put("RecommendationDetailId", UUID.nameUUIDFromBytes((account + "|" + g.usage().slot() + "|" + term + "|"
                + commitment).getBytes(StandardCharsets.UTF_8)).toString());
        return d;
    }

    private static String recommendationId(String account, String type, String term, String payment, String lookback,
                                           List<Shortfall.Gap> gaps) {
        StringBuilder s = new StringBuilder(account + "|" + type + "|" + term + "|" + payment + "|" + lookback);
        gaps.forEach(g -> s.append('|').append(g.usage().slot()).append('=').append(g.missing().toPlainString()));
        return UUID.nameUUIDFromBytes(s.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String term(String termInYears) {
        if (termInYears == null) {
            return null;
        }
        return switch (termInYears) {
            case "ONE_YEAR" -> "1y";
            case "THREE_YEARS" -> "3y";
            default -> null;
        };
    }

    private static String payment(String paymentOption) {
        if (paymentOption == null) {
            return null;
        }
        return switch (paymentOption) {
            case "NO_UPFRONT" -> "no-upfront";
            case "PARTIAL_UPFRONT" -> "partial-upfront";
            case "ALL_UPFRONT" -> "all-upfront";
            default -> null;
        };
    }
}
