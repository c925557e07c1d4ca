package dev.pledge.gcp;

import com.google.cloud.compute.v1.AggregatedListRegionCommitmentsRequest;
import com.google.cloud.compute.v1.Commitment;
import com.google.cloud.compute.v1.CommitmentsScopedList;
import com.google.cloud.compute.v1.RegionCommitmentsClient;
import com.google.cloud.compute.v1.ResourceCommitment;
import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.InventorySource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.Term;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A project's commitments from {@code regionCommitments.aggregatedList} ({@code GET /compute/v1/projects/{p}/
 * aggregated/commitments}), every page, every region ({@code items} keyed {@code regions/<r>}); the query's
 * regions, when given, narrow the result. The commitment name is Pledge's key when it starts with {@code pledge-}.
 */
final class GcpInventory implements InventorySource {
    private final RegionCommitmentsClients clients;
    private final Integer pageSize;

    GcpInventory(RegionCommitmentsClients clients) {
        this(clients, null);
    }

    /** {@code pageSize} null: Compute's default (500). */
    GcpInventory(RegionCommitmentsClients clients, Integer pageSize) {
        this.clients = clients;
        this.pageSize = pageSize;
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.GCP_COMPUTE;
    }

    @Override
    public List<HeldCommitment> list(InsightQuery query) {
        String what = "regionCommitments.aggregatedList of project " + query.account();
        List<HeldCommitment> out = new ArrayList<>();
        try {
            RegionCommitmentsClient client = clients.forProject(query.account());
            AggregatedListRegionCommitmentsRequest.Builder request = AggregatedListRegionCommitmentsRequest.newBuilder()
                    .setProject(query.account());
            if (pageSize != null) {
                request.setMaxResults(pageSize);
            }
            query.calls().call(() -> {
                for (Map.Entry<String, CommitmentsScopedList> scope : client.aggregatedList(request.build())
                        .iterateAll()) {
                    for (Commitment c : scope.getValue().getCommitmentsList()) {
                        HeldCommitment h = held(query.account(), scope.getKey(), c);
                        if (query.regions().isEmpty() || query.regions().contains(h.region())) {
                            out.add(h);
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw GcpInsightFailures.of(what, e);
        }
        return out;
    }

    static HeldCommitment held(String project, String scopeKey, Commitment c) {
        String region = c.hasRegion() ? last(c.getRegion()) : scopeKey.replaceFirst("^regions/", "");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (ResourceCommitment r : c.getResourcesList()) {
            switch (r.getType()) {
                case "VCPU" -> attributes.put("vcpus", String.valueOf(r.getAmount()));
                case "MEMORY" -> attributes.put("memoryMb", String.valueOf(r.getAmount()));
                case "LOCAL_SSD" -> attributes.put("localSsdGb", String.valueOf(r.getAmount()));
                case "ACCELERATOR" -> {
                    attributes.put("acceleratorType", r.getAcceleratorType());
                    attributes.put("acceleratorCount", String.valueOf(r.getAmount()));
                }
                default -> attributes.put("resource." + r.getType(), String.valueOf(r.getAmount()));
            }
        }
        if (c.hasCategory()) {
            attributes.put("category", c.getCategory());
        }
        if (c.hasStatusMessage()) {
            attributes.put("statusMessage", c.getStatusMessage());
        }
        if (c.hasId()) {
            attributes.put("numericId", Long.toUnsignedString(c.getId()));
        }
        if (c.hasPlan()) {
            attributes.put("plan", c.getPlan());
        }
        String status = c.getStatus();
        String name = c.getName();
        return new HeldCommitment(CommitmentType.GCP_COMPUTE, project, region,
                ComputeCommitmentExecutor.commitmentId(project, region, name),
                name.startsWith("pledge-") ? name : null, c.hasType() ? c.getType() : "GENERAL_PURPOSE", null, 1, null,
                term(c.getPlan()), null, instant(c.getStartTimestamp()), instant(c.getEndTimestamp()), status,
                status.equals("ACTIVE") || status.equals("NOT_YET_ACTIVE") || status.equals("CREATING"), null, null,
                c.hasAutoRenew() ? c.getAutoRenew() : null, attributes);
    }

    static Term term(String plan) {
        return switch (plan == null ? "" : plan) {
            case "TWELVE_MONTH" -> Term.ONE_YEAR;
            case "THIRTY_SIX_MONTH" -> Term.THREE_YEARS;
            default -> null;
        };
    }

    static Instant instant(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String last(String link) {
        return link.substring(link.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
