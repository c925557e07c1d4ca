package dev.pledge.emulator.azure;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudApi;
import dev.pledge.emulator.CloudCall;
import dev.pledge.emulator.CloudRequest;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.usage.Shortfall;
import dev.pledge.emulator.usage.Usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure's read side: the orders lists ({@code GET /providers/Microsoft.Capacity/reservationOrders},
 * {@code GET /providers/Microsoft.BillingBenefits/savingsPlanOrders}, api-version 2022-11-01) and the
 * recommendations ({@code GET {scope}/providers/Microsoft.Consumption/reservationRecommendations}, 2023-05-01;
 * {@code GET {scope}/providers/Microsoft.CostManagement/benefitRecommendations}, 2022-10-01).
 * <ul>
 *   <li>Every list is paged by {@code nextLink} ({@code $skiptoken}), {@value #PAGE} items a page so paging shows
 *       with a few items; an empty recommendation list answers 204 with no body, as Consumption does.</li>
 *   <li>Recommendations derive from the usage model ({@code PUT /__pledge/usage}, account = the billing scope as
 *       the purchase records it, e.g. {@code /subscriptions/<guid>}) minus the active commitments, recomputed on
 *       each call. Reservation rows come for both terms (the API has no term filter); a billing-profile scope
 *       ({@code .../billingProfiles/...}) answers the {@code modern} shape, any other the {@code legacy} one.
 *       Money covers the lookback window. Savings-plan usage counts USD per hour ({@code Compute_Savings_Plan}
 *       in {@code global}); held plans subtract their hourly commitment.</li>
 *   <li>Throttling ({@code throttle} fault) answers 429 {@code TooManyRequests} with {@code Retry-After: 1}.</li>
 * </ul>
 */
public final class AzureInsightApi implements CloudApi {
    static final int PAGE = 5;
    static final String RESERVATION_ORDERS = "ReservationOrder_List";
    static final String SAVINGS_PLAN_ORDERS = "SavingsPlanOrder_List";
    static final String RESERVATION_RECOMMENDATIONS = "ReservationRecommendations_List";
    static final String BENEFIT_RECOMMENDATIONS = "BenefitRecommendations_List";
    private static final String CONSUMPTION = "/providers/microsoft.consumption/reservationrecommendations";
    private static final String COST_MANAGEMENT = "/providers/microsoft.costmanagement/benefitrecommendations";
    private static final Pattern LOOKBACK = Pattern.compile("lookBackPeriod eq '(Last(7|30|60)Days)'",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TERM = Pattern.compile("properties/term eq '(P[135]Y)'", Pattern.CASE_INSENSITIVE);

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        if (!request.method().equals("GET")) {
            return Optional.empty();
        }
        String path = request.path().toLowerCase(Locale.ROOT);
        if (path.equals("/providers/microsoft.capacity/reservationorders")) {
            return call(AzureCatalog.RESERVATION, RESERVATION_ORDERS, CallKind.LOOKUP);
        }
        if (path.equals("/providers/microsoft.billingbenefits/savingsplanorders")) {
            return call(AzureCatalog.SAVINGS_PLAN, SAVINGS_PLAN_ORDERS, CallKind.LOOKUP);
        }
        if (path.endsWith(CONSUMPTION) && path.length() > CONSUMPTION.length()) {
            return call(AzureCatalog.RESERVATION, RESERVATION_RECOMMENDATIONS, CallKind.OTHER);
        }
        if (path.endsWith(COST_MANAGEMENT) && path.length() > COST_MANAGEMENT.length()) {
            return call(AzureCatalog.SAVINGS_PLAN, BENEFIT_RECOMMENDATIONS, CallKind.OTHER);
        }
        return Optional.empty();
    }

    private static Optional<CloudCall> call(String type, String operation, CallKind kind) {
        return Optional.of(new CloudCall(Cloud.AZURE, type, operation, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Optional<CloudResponse> refused = OrderAliasApi.refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String expected = switch (call.operation()) {
            case RESERVATION_RECOMMENDATIONS -> "2023-05-01";
            case BENEFIT_RECOMMENDATIONS -> "2022-10-01";
            default -> OrderAliasApi.API_VERSION;
        };
        if (!expected.equals(request.queryParam("api-version"))) {
            return ArmErrors.error(400, "InvalidApiVersionParameter", "The api-version '" + request.queryParam(
                    "api-version") + "' is invalid. The supported versions include '" + expected + "'.");
        }
        String scope = request.path().substring(0, Math.max(0, request.path().toLowerCase(Locale.ROOT)
                .lastIndexOf("/providers/")));
        return switch (call.operation()) {
            case RESERVATION_ORDERS -> page(request, state.commitments(c -> c.cloud() == Cloud.AZURE
                    && c.type().equals(AzureCatalog.RESERVATION)).stream().map(c -> order(c, state, true)).toList(),
                    false);
            case SAVINGS_PLAN_ORDERS -> page(request, state.commitments(c -> c.cloud() == Cloud.AZURE
                    && c.type().equals(AzureCatalog.SAVINGS_PLAN)).stream().map(c -> order(c, state, false)).toList(),
                    false);
            case RESERVATION_RECOMMENDATIONS -> page(request, reservationRows(request, state, scope), true);
            default -> page(request, benefitRows(request, state, scope), false);
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        return ArmErrors.error(status, code, message);
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return ArmErrors.error(429, "TooManyRequests", "Too many requests; retry later").withHeader("Retry-After", "1");
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return ArmErrors.error(403, "AuthorizationFailed", "The client does not have authorization to perform action '"
                + call.operation() + "' over scope '" + request.path() + "' or the scope is invalid.");
    }

    /** One page and the nextLink of the rest (the request's own query plus {@code $skiptoken}). */
    private static CloudResponse page(CloudRequest request, List<Map<String, Object>> all, boolean noContentWhenEmpty) {
        if (all.isEmpty() && noContentWhenEmpty) {
            return new CloudResponse(204, Map.of(), "");
        }
        int skip = 0;
        String token = request.queryParam("$skiptoken");
        if (token != null) {
            try {
                skip = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                return ArmErrors.error(400, "InvalidSkipToken", "The $skiptoken '" + token + "' is not valid");
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", all.subList(Math.min(skip, all.size()), Math.min(all.size(), skip + PAGE)));
        if (skip + PAGE < all.size()) {
            StringBuilder next = new StringBuilder(OrderAliasApi.baseUrl(request) + request.path() + "?");
            request.query().forEach((k, vs) -> {
                if (!k.equals("$skiptoken")) {
                    vs.forEach(v -> next.append(enc(k)).append('=').append(enc(v)).append('&'));
                }
            });
            next.append("$skiptoken=").append(skip + PAGE);
            body.put("nextLink", next.toString());
        }
        return CloudResponse.json(200, body);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- orders ----

    private static Map<String, Object> order(Commitment c, CloudState state, boolean reservation) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("displayName", c.attribute("displayName"));
        p.put("requestDateTime", c.createdAt().toString());
        p.put("createdDateTime", c.createdAt().toString());
        p.put("benefitStartTime", c.createdAt().toString());
        p.put("expiryDateTime", Shortfall.end(c).toString());
        p.put("term", c.attribute("term"));
        p.put("billingPlan", c.attribute("billingPlan") == null ? "Upfront" : "Monthly");
        p.put("provisioningState", c.state());
        String itemId = UUID.nameUUIDFromBytes(c.id().getBytes(StandardCharsets.UTF_8)).toString();
        if (reservation) {
            p.put("originalQuantity", c.quantity());
            p.put("expiryDate", Shortfall.end(c).toString().substring(0, 10));
            p.put("reservations", List.of(Map.of("id", c.id() + "/reservations/" + itemId)));
        } else {
            p.put("billingScopeId", c.account());
            p.put("savingsPlans", List.of(c.id() + "/savingsPlans/" + itemId));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", c.id());
        o.put("name", OrderAliasApi.lastSegment(c.id()));
        o.put("type", reservation ? "Microsoft.Capacity/reservationOrders" : "Microsoft.BillingBenefits/savingsPlanOrders");
        if (!reservation) {
            o.put("sku", Map.of("name", c.offering().product()));
        }
        o.put("properties", p);
        return o;
    }

    // ---- recommendations ----

    private static int lookbackDays(CloudRequest request) {
        Matcher m = LOOKBACK.matcher(Optional.ofNullable(request.queryParam("$filter")).orElse(""));
        return m.find() ? Integer.parseInt(m.group(2)) : 7;
    }

    private static String id(String scope, String provider, String seed) {
        return scope + "/providers/" + provider + "/" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> reservationRows(CloudRequest request, CloudState state, String scope) {
        int days = lookbackDays(request);
        boolean modern = scope.toLowerCase(Locale.ROOT).contains("/billingprofiles/");
        BigDecimal hours = BigDecimal.valueOf(days * 24L);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String term : List.of("1y", "3y")) {
            for (Shortfall.Gap g : Shortfall.gaps(state, Cloud.AZURE, AzureCatalog.RESERVATION, scope, term, null,
                    false)) {
                Usage u = g.usage();
                Offering o = g.offering();
                BigDecimal od = Shortfall.onDemandHourly(state, u, o);
                BigDecimal ri = o.hourly().add(o.upfront().divide(BigDecimal.valueOf(o.years() * 8760L), 6,
                        RoundingMode.HALF_UP));
                BigDecimal without = od.multiply(u.units()).multiply(hours).setScale(4, RoundingMode.HALF_UP);
                BigDecimal savings = od.subtract(ri).multiply(g.missing()).multiply(hours).setScale(4, RoundingMode.HALF_UP);
                BigDecimal with = without.subtract(savings);
                String resourceType = u.attributes().getOrDefault("reservedResourceType", "VirtualMachines")
                        .toLowerCase(Locale.ROOT);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("lookBackPeriod", modern ? (Object) days : "Last" + days + "Days");
                p.put("instanceFlexibilityRatio", 1);
                p.put("instanceFlexibilityGroup", u.product().replaceAll("^Standard_", "").replaceAll("\\d", "")
                        + " Series");
                p.put("normalizedSize", u.product());
                p.put("recommendedQuantityNormalized", g.missing());
                p.put("meterId", UUID.nameUUIDFromBytes((u.product() + u.region()).getBytes(StandardCharsets.UTF_8))
                        .toString());
                p.put("resourceType", resourceType);
                p.put("term", "P" + term.charAt(0) + "Y");
                p.put("recommendedQuantity", g.missing());
                p.put("costWithNoReservedInstances", money(modern, without, o.currency()));
                p.put("totalCostWithReservedInstances", money(modern, with, o.currency()));
                p.put("netSavings", money(modern, savings, o.currency()));
                p.put("firstUsageDate", state.now().minusSeconds(days * 86_400L).toString());
                p.put("scope", "Shared");
                if (modern) {
                    p.put("skuName", u.product());
                    p.put("location", u.region());
                    p.put("scopeReference", scope);
                } else if (scope.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
                    p.put("subscriptionId", scope.substring("/subscriptions/".length()));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                String rowId = id(scope, "Microsoft.Consumption/reservationRecommendations", u.slot() + "|" + term
                        + "|" + days + "|" + g.missing().toPlainString());
                row.put("id", rowId);
                row.put("name", OrderAliasApi.lastSegment(rowId));
                row.put("type", "Microsoft.Consumption/reservationRecommendations");
                row.put("kind", modern ? "modern" : "legacy");
                if (!modern) {
                    row.put("location", u.region());
                    row.put("sku", u.product());
                }
                row.put("properties", p);
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object money(boolean modern, BigDecimal amount, String currency) {
        return modern ? Map.of("currency", currency, "value", amount) : amount;
    }

    private static List<Map<String, Object>> benefitRows(CloudRequest request, CloudState state, String scope) {
        int days = lookbackDays(request);
        Matcher tm = TERM.matcher(Optional.ofNullable(request.queryParam("$filter")).orElse(""));
        String termIso = tm.find() ? tm.group(1).toUpperCase(Locale.ROOT) : "P3Y";
        String term = termIso.charAt(1) + "y";
        BigDecimal hours = BigDecimal.valueOf(days * 24L);
        boolean expand = Optional.ofNullable(request.queryParam("$expand")).orElse("")
                .contains("properties/allRecommendationDetails");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Usage u : state.usage().of(Cloud.AZURE, AzureCatalog.SAVINGS_PLAN, scope)) {
            BigDecimal held = BigDecimal.ZERO;
            for (Commitment c : state.commitments(Cloud.AZURE, AzureCatalog.SAVINGS_PLAN, u.account(), u.region())) {
                if (Shortfall.isActive(c, state.now()) && c.attribute("amount") != null) {
                    held = held.add(new BigDecimal(c.attribute("amount")));
                }
            }
            BigDecimal missing = u.units().subtract(held);
            Optional<Offering> offering = Shortfall.offering(state, u, term, null);
            if (missing.signum() <= 0 || offering.isEmpty()) {
                continue;
            }
            BigDecimal discount = new BigDecimal(term.equals("1y") ? "0.35" : term.equals("3y") ? "0.55" : "0.60");
            // usage units are the savings-plan price per hour the usage would fill; on demand costs more
            BigDecimal onDemand = u.units().divide(BigDecimal.ONE.subtract(discount), 6, RoundingMode.HALF_UP);
            BigDecimal costWithout = onDemand.multiply(hours).setScale(4, RoundingMode.HALF_UP);
            BigDecimal benefitCost = missing.multiply(hours).setScale(4, RoundingMode.HALF_UP);
            BigDecimal covered = missing.divide(BigDecimal.ONE.subtract(discount), 6, RoundingMode.HALF_UP)
                    .multiply(hours);
            BigDecimal savings = covered.subtract(benefitCost).setScale(4, RoundingMode.HALF_UP);
            BigDecimal totalCost = costWithout.subtract(savings);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("commitmentAmount", missing);
            d.put("savingsAmount", savings);
            d.put("savingsPercentage", savings.multiply(BigDecimal.valueOf(100)).divide(costWithout, 2,
                    RoundingMode.HALF_UP));
            d.put("coveragePercentage", missing.multiply(BigDecimal.valueOf(100)).divide(u.units(), 2,
                    RoundingMode.HALF_UP));
            d.put("averageUtilizationPercentage", 100);
            d.put("benefitCost", benefitCost);
            d.put("overageCost", totalCost.subtract(benefitCost));
            d.put("totalCost", totalCost);
            d.put("wastageCost", 0);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("scope", "Shared");
            p.put("lookBackPeriod", "Last" + days + "Days");
            p.put("term", termIso);
            p.put("commitmentGranularity", "Hourly");
            p.put("currencyCode", offering.get().currency());
            p.put("costWithoutBenefit", costWithout);
            p.put("firstConsumptionDate", state.now().minusSeconds(days * 86_400L).toString());
            p.put("lastConsumptionDate", state.now().toString());
            p.put("armSkuName", u.product());
            p.put("recommendationDetails", d);
            if (expand) {
                p.put("allRecommendationDetails", Map.of("value", List.of(d)));
                p.put("usage", Map.of("usageGrain", "Hourly", "charges", List.of(onDemand)));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            String rowId = id(scope, "Microsoft.CostManagement/benefitRecommendations", u.slot() + "|" + termIso + "|"
                    + days + "|" + missing.toPlainString());
            row.put("id", rowId);
            row.put("name", OrderAliasApi.lastSegment(rowId));
            row.put("type", "Microsoft.CostManagement/BenefitRecommendations");
            row.put("kind", "SharedScope");
            row.put("properties", p);
            rows.add(row);
        }
        return rows;
    }
}
