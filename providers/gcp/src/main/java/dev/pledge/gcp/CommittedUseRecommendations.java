package dev.pledge.gcp;

import com.google.cloud.recommender.v1.CostProjection;
import com.google.cloud.recommender.v1.ListRecommendationsRequest;
import com.google.cloud.recommender.v1.MarkRecommendationClaimedRequest;
import com.google.cloud.recommender.v1.MarkRecommendationSucceededRequest;
import com.google.cloud.recommender.v1.Operation;
import com.google.cloud.recommender.v1.OperationGroup;
import com.google.cloud.recommender.v1.RecommenderClient;
import com.google.protobuf.Value;
import com.google.type.Money;
import dev.pledge.common.insight.InsightException;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.insight.RecommendationSource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Committed-use recommendations from the Recommender API ({@code google.compute.commitment.UsageCommitmentRecommender},
 * per region: {@code projects/{p}/locations/{region}/recommenders/...}), ACTIVE ones only, every page of every
 * region. The purchase is the operation {@code add} of a {@code compute.googleapis.com/Commitment}: its value
 * holds {@code plan}, {@code type} and {@code resources[{type, amount}]} (memory in MB); answers that give the same
 * as one operation per path ({@code /plan}, {@code /resources/0/amount}, ...) are read too. The saving is
 * {@code primaryImpact.costProjection.cost} (negative = saving) over its {@code duration}, scaled to a 730-hour
 * month in its own currency. The recommender picks the plan; every term it recommends is kept.
 */
final class CommittedUseRecommendations implements RecommendationSource {
    static final String RECOMMENDER = "google.compute.commitment.UsageCommitmentRecommender";
    /** Regions listed when a query names none. */
    static final List<String> DEFAULT_REGIONS = List.of("us-central1", "us-east1", "europe-west1", "europe-west4");
    static final String ACTIVE = "stateInfo.state = ACTIVE";
    private static final BigDecimal MONTH_SECONDS = BigDecimal.valueOf(730L * 3600);
    private static final String COMMITMENT = "compute.googleapis.com/Commitment";

    private final RecommenderClients clients;
    private final Integer pageSize;

    CommittedUseRecommendations(RecommenderClients clients) {
        this(clients, null);
    }

    CommittedUseRecommendations(RecommenderClients clients, Integer pageSize) {
        this.clients = clients;
        this.pageSize = pageSize;
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.GCP_COMPUTE;
    }

    static String parent(String project, String region) {
        return "projects/" + project + "/locations/" + region + "/recommenders/" + RECOMMENDER;
    }

    @Override
    public List<Recommendation> fetch(InsightQuery query) {
        List<String> regions = query.regions().isEmpty() ? DEFAULT_REGIONS : query.regions();
        // the regions at once, within the refresh's limit; each region's pages in turn
        return query.calls().each(regions, region -> {
            List<Recommendation> out = new ArrayList<>();
            String parent = parent(query.account(), region);
            try {
                RecommenderClient client = clients.forProject(query.account());
                ListRecommendationsRequest.Builder request = ListRecommendationsRequest.newBuilder().setParent(parent)
                        .setFilter(ACTIVE);
                if (pageSize != null) {
                    request.setPageSize(pageSize);
                }
                for (com.google.cloud.recommender.v1.Recommendation r : client.listRecommendations(request.build())
                        .iterateAll()) {
                    Recommendation parsed = parse(query, region, r);
                    if (parsed != null) {
                        out.add(parsed);
                    }
                }
            } catch (RuntimeException e) {
                throw GcpInsightFailures.of("Recommender " + parent, e);
            }
            return out;
        });
    }

    static Recommendation parse(InsightQuery query, String region, com.google.cloud.recommender.v1.Recommendation r) {
        Map<String, Object> spec = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> resources = new ArrayList<>();
        boolean purchase = false;
        for (OperationGroup g : r.getContent().getOperationGroupsList()) {
            for (Operation op : g.getOperationsList()) {
                if (!"add".equalsIgnoreCase(op.getAction()) || !COMMITMENT.equals(op.getResourceType())) {
                    continue;
                }
                purchase = true;
                String path = op.getPath();
                if (op.hasValue() && op.getValue().hasStructValue() && (path.isEmpty() || path.equals("/"))) {
                    var f = op.getValue().getStructValue().getFieldsMap();
                    if (f.containsKey("plan")) {
                        spec.put("plan", f.get("plan").getStringValue());
                    }
                    if (f.containsKey("type")) {
                        spec.put("type", f.get("type").getStringValue());
                    }
                    if (f.containsKey("resources")) {
                        for (Value v : f.get("resources").getListValue().getValuesList()) {
                            var rf = v.getStructValue().getFieldsMap();
                            resources.add(Map.entry(rf.getOrDefault("type", Value.getDefaultInstance())
                                    .getStringValue(), amount(rf.get("amount"))));
                        }
                    }
                } else if (op.hasValue()) {
                    perPath(path, op.getValue(), spec, resources);
                }
            }
        }
        Term term = GcpInventory.term((String) spec.get("plan"));
        long vcpus = resources.stream().filter(e -> e.getKey().equals("VCPU")).mapToLong(Map.Entry::getValue).sum();
        long memory = resources.stream().filter(e -> e.getKey().equals("MEMORY")).mapToLong(Map.Entry::getValue).sum();
        CostProjection cost = r.getPrimaryImpact().getCostProjection();
        if (!purchase || term == null || vcpus < 1 || memory < 1 || !cost.hasCost()) {
            return null;
        }
        Money money = cost.getCost();
        BigDecimal amount = BigDecimal.valueOf(money.getUnits()).add(BigDecimal.valueOf(money.getNanos(), 9));
        long seconds = cost.getDuration().getSeconds();
        if (amount.signum() >= 0 || seconds <= 0) {
            return null; // not a saving
        }
        String currency = money.getCurrencyCode().isEmpty() ? "USD" : money.getCurrencyCode();
        BigDecimal monthly = amount.negate().multiply(MONTH_SECONDS).divide(BigDecimal.valueOf(seconds), 2,
                RoundingMode.HALF_UP);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("vcpus", String.valueOf(vcpus));
        attributes.put("memoryMb", String.valueOf(memory));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("recommenderSubtype", r.getRecommenderSubtype());
        details.put("description", r.getDescription());
        details.put("priority", r.getPriority().name());
        details.put("state", r.getStateInfo().getState().name());
        details.put("costProjection", amount.toPlainString() + " " + currency + " over " + seconds + " s");
        Instant generated = r.hasLastRefreshTime() ? Instant.ofEpochSecond(r.getLastRefreshTime().getSeconds(),
                r.getLastRefreshTime().getNanos()) : null;
        return new Recommendation(CommitmentType.GCP_COMPUTE, query.account(), region,
                spec.getOrDefault("type", "GENERAL_PURPOSE").toString(), 1, null, term, null, attributes,
                new dev.pledge.common.insight.Money(monthly, currency),
                new dev.pledge.common.insight.Money(BigDecimal.ZERO, currency), null, BigDecimal.ZERO,
                query.lookback().iso(), r.getName(), r.getEtag(), generated, details);
    }

    /** One operation per path: {@code /plan}, {@code /type}, {@code /resources/<i>/type|amount}. */
    private static void perPath(String path, Value value, Map<String, Object> spec,
                                List<Map.Entry<String, Long>> resources) {
        if (path.equals("/plan") || path.equals("/type")) {
            spec.put(path.substring(1), value.getStringValue());
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/resources/(\\d+)/(type|amount)").matcher(path);
        if (!m.matches()) {
            return;
        }
        int i = Integer.parseInt(m.group(1));
        while (resources.size() <= i) {
            resources.add(Map.entry("", 0L));
        }
        Map.Entry<String, Long> old = resources.get(i);
        resources.set(i, m.group(2).equals("type") ? Map.entry(value.getStringValue(), old.getValue())
                : Map.entry(old.getKey(), amount(value)));
    }

    private static long amount(Value v) {
        if (v == null) {
            return 0;
        }
        if (v.hasNumberValue()) {
            return (long) v.getNumberValue();
        }
        try {
            return Long.parseLong(v.getStringValue().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String markClaimed(Recommendation recommendation, String etag) {
        try {
            return clients.forProject(recommendation.account()).markRecommendationClaimed(
                    MarkRecommendationClaimedRequest.newBuilder().setName(recommendation.cloudRecommendationId())
                            .setEtag(etag).putStateMetadata("claimedBy", "pledge").build()).getEtag();
        } catch (RuntimeException e) {
            throw GcpInsightFailures.of("markClaimed " + recommendation.cloudRecommendationId(), e);
        }
    }

    @Override
    public String markSucceeded(Recommendation recommendation, String etag) {
        try {
            return clients.forProject(recommendation.account()).markRecommendationSucceeded(
                    MarkRecommendationSucceededRequest.newBuilder().setName(recommendation.cloudRecommendationId())
                            .setEtag(etag).putStateMetadata("boughtBy", "pledge").build()).getEtag();
        } catch (RuntimeException e) {
            throw GcpInsightFailures.of("markSucceeded " + recommendation.cloudRecommendationId(), e);
        }
    }

    /**
     * A mark refused because the etag is not the current one (someone else changed the recommendation). Google
     * answers HTTP 400 FAILED_PRECONDITION, which the HttpJson transport reports by its HTTP status alone
     * (INVALID_ARGUMENT, "Bad Request"): on a mark call, whose only caller-chosen input is the etag, any of these.
     */
    static boolean etagConflict(InsightException e) {
        return "FAILED_PRECONDITION".equals(e.cloudCode()) || "ABORTED".equals(e.cloudCode())
                || "INVALID_ARGUMENT".equals(e.cloudCode());
    }
}
