package dev.pledge.emulator.gcp;

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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GCP's read side: {@code regionCommitments.aggregatedList} ({@code GET /compute/v1/projects/{p}/aggregated/
 * commitments}, paged by {@code maxResults} / {@code pageToken} over the commitments, {@code items} keyed
 * {@code regions/<r>}) and the Recommender API's committed-use recommender ({@code GET /v1/projects/{p}/locations/
 * {region}/recommenders/google.compute.commitment.UsageCommitmentRecommender/recommendations}, paged by
 * {@code pageSize} / {@code pageToken}, filter {@code stateInfo.state = ACTIVE}; {@code GET /v1/{name}};
 * {@code POST /v1/{name}:markClaimed|markSucceeded|markFailed} with the etag, which must match: 400
 * {@code FAILED_PRECONDITION} otherwise). Any other recommender id answers 404.
 * <p>Recommendations derive from usage ({@code type gcp-compute}, {@code product} = commitment type,
 * {@code units} = vCPUs; attributes {@code memoryMbPerVcpu} (default 4096), {@code plan} (default TWELVE_MONTH),
 * {@code operationShape=perPath} for the per-path operation form) minus the vCPUs of the active commitments of
 * that type and region. A recommendation's name derives from what it recommends, so buying (or new usage) makes a
 * new one; its state (ACTIVE, CLAIMED, SUCCEEDED, FAILED) and etag live until then. One that a purchase made
 * obsolete is no longer listed, but {@code get} and the marks still find it (a real recommender keeps it until its
 * next daily run), so an integrator can mark what it bought claimed and succeeded afterwards.
 */
public final class GcpInsightApi implements CloudApi {
    static final String RECOMMENDER = "google.compute.commitment.UsageCommitmentRecommender";
    static final String AGGREGATED = "RegionCommitments.aggregatedList";
    static final String LIST = "Recommendations.list";
    static final String GET = "Recommendations.get";
    static final String MARK = "Recommendations.mark";
    private static final Pattern AGGREGATED_PATH = Pattern.compile("/compute/v1/projects/([^/]+)/aggregated/commitments/?");
    private static final Pattern RECS = Pattern.compile(
            "/v1/projects/([^/]+)/locations/([^/]+)/recommenders/([^/]+)/recommendations(?:/([^/:]+))?(?::(mark\\w+))?");
    private static final long WINDOW_SECONDS = 30L * 86_400;

    /** State of a recommendation by name, for the usage line it was made for (a reset or new usage forgets it). */
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    /** Every recommendation shown, by name: found by get and mark after a purchase made it obsolete. */
    private final Map<String, Map<String, Object>> issued = new ConcurrentHashMap<>();

    private record Mark(Usage usage, String state, int version) {
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        if (request.method().equals("GET") && AGGREGATED_PATH.matcher(request.path()).matches()) {
            return call(AGGREGATED, CallKind.LOOKUP);
        }
        Matcher m = RECS.matcher(request.path());
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(5) != null) {
            return request.method().equals("POST") ? call(MARK, CallKind.OTHER) : Optional.empty();
        }
        if (!request.method().equals("GET")) {
            return Optional.empty();
        }
        return call(m.group(4) == null ? LIST : GET, CallKind.OTHER);
    }

    private static Optional<CloudCall> call(String operation, CallKind kind) {
        return Optional.of(new CloudCall(Cloud.GCP, RegionCommitmentsApi.TYPE, operation, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        if (call.operation().equals(AGGREGATED)) {
            Matcher m = AGGREGATED_PATH.matcher(request.path());
            m.matches();
            return aggregated(request, state, m.group(1));
        }
        Matcher m = RECS.matcher(request.path());
        m.matches();
        String project = m.group(1);
        String region = m.group(2);
        if (!RECOMMENDER.equals(m.group(3))) {
            return error(call, request, 404, "NOT_FOUND", "Recommender [" + m.group(3) + "] not found.");
        }
        List<Map<String, Object>> all = LIST.equals(call.operation()) ? recommendations(state, project, region)
                : findable(state, project, region);
        return switch (call.operation()) {
            case LIST -> list(request, all);
            case GET -> all.stream().filter(r -> r.get("name").toString().endsWith("/" + m.group(4))).findFirst()
                    .map(r -> CloudResponse.json(200, clean(r)))
                    .orElseGet(() -> error(call, request, 404, "NOT_FOUND", "Recommendation not found."));
            default -> mark(call, request, state, all, m.group(4), m.group(5));
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String s = code != null && code.equals(code.toUpperCase(java.util.Locale.ROOT)) ? code : switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message);
        error.put("status", s);
        return CloudResponse.json(status, Map.of("error", error));
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'");
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "PERMISSION_DENIED", "Permission denied for " + call.operation());
    }

    // ---- aggregatedList ----

    private CloudResponse aggregated(CloudRequest request, CloudState state, String project) {
        List<Commitment> all = state.commitments(c -> c.cloud() == Cloud.GCP && c.type().equals(RegionCommitmentsApi.TYPE)
                && c.account().equals(project));
        int max = 500;
        int from = 0;
        try {
            if (request.queryParam("maxResults") != null) {
                max = Math.max(1, Math.min(500, Integer.parseInt(request.queryParam("maxResults"))));
            }
            if (request.queryParam("pageToken") != null && !request.queryParam("pageToken").isEmpty()) {
                from = Integer.parseInt(request.queryParam("pageToken"));
            }
        } catch (NumberFormatException e) {
            return error(null, request, 400, "invalid", "Invalid value for field 'maxResults' or 'pageToken'.");
        }
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            Commitment c = all.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> scoped = (Map<String, Object>) items.computeIfAbsent("regions/" + c.region(),
                    k -> new LinkedHashMap<>(Map.of("commitments", new ArrayList<>())));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) scoped.get("commitments");
            list.add(RegionCommitmentsApi.commitmentJson(c));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "compute#commitmentAggregatedList");
        body.put("id", "projects/" + project + "/aggregated/commitments");
        body.put("items", items);
        if (from + max < all.size()) {
            body.put("nextPageToken", String.valueOf(from + max));
        }
        body.put("selfLink", "https://www.googleapis.com/compute/v1/projects/" + project + "/aggregated/commitments");
        return CloudResponse.json(200, body);
    }

    // ---- recommendations ----

    private CloudResponse list(CloudRequest request, List<Map<String, Object>> all) {
        String filter = Optional.ofNullable(request.queryParam("filter")).orElse("").replace(" ", "");
        List<Map<String, Object>> shown = all;
        if (!filter.isEmpty()) {
            Matcher f = Pattern.compile("stateInfo\\.state=\"?(\\w+)\"?").matcher(filter);
            if (!f.matches()) {
                return error(null, request, 400, "INVALID_ARGUMENT", "Invalid filter: " + request.queryParam("filter"));
            }
            shown = all.stream().filter(r -> f.group(1).equals(((Map<?, ?>) r.get("stateInfo")).get("state"))).toList();
        }
        int size = 50;
        int from = 0;
        try {
            if (request.queryParam("pageSize") != null) {
                size = Math.max(1, Math.min(1000, Integer.parseInt(request.queryParam("pageSize"))));
            }
            if (request.queryParam("pageToken") != null && !request.queryParam("pageToken").isEmpty()) {
                from = Integer.parseInt(request.queryParam("pageToken"));
            }
        } catch (NumberFormatException e) {
            return error(null, request, 400, "INVALID_ARGUMENT", "Invalid pageSize or pageToken.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recommendations", shown.subList(Math.min(from, shown.size()), Math.min(shown.size(), from + size))
                .stream().map(GcpInsightApi::clean).toList());
        if (from + size < shown.size()) {
            body.put("nextPageToken", String.valueOf(from + size));
        }
        return CloudResponse.json(200, body);
    }

    private CloudResponse mark(CloudCall call, CloudRequest request, CloudState state, List<Map<String, Object>> all,
                               String id, String action) {
        Optional<Map<String, Object>> found = all.stream()
                .filter(r -> r.get("name").toString().endsWith("/" + id)).findFirst();
        if (found.isEmpty()) {
            return error(call, request, 404, "NOT_FOUND", "Recommendation not found.");
        }
        Map<String, Object> body = request.json();
        Object etag = body.get("etag");
        if (etag == null || etag.toString().isBlank()) {
            return error(call, request, 400, "INVALID_ARGUMENT", "etag is required.");
        }
        Map<String, Object> r = found.get();
        if (!etag.toString().equals(r.get("etag"))) {
            return error(call, request, 400, "FAILED_PRECONDITION", "Etag " + etag + " does not match the current "
                    + "etag " + r.get("etag") + " of the recommendation.");
        }
        String current = ((Map<?, ?>) r.get("stateInfo")).get("state").toString();
        String next = switch (action) {
            case "markClaimed" -> current.equals("ACTIVE") || current.equals("CLAIMED") ? "CLAIMED" : null;
            case "markSucceeded" -> current.equals("DISMISSED") ? null : "SUCCEEDED";
            case "markFailed" -> current.equals("DISMISSED") ? null : "FAILED";
            default -> null;
        };
        if (next == null) {
            return error(call, request, 400, "FAILED_PRECONDITION", "Cannot " + action + " a recommendation in state "
                    + current + ".");
        }
        String name = r.get("name").toString();
        Mark old = marks.get(name);
        Usage usage = usageOf(state, r);
        marks.put(name, new Mark(usage, next, (old == null || old.usage() != usage ? 0 : old.version()) + 1));
        return findable(state, (String) r.get("_project"), (String) r.get("_region")).stream()
                .filter(x -> x.get("name").equals(name)).findFirst().map(x -> CloudResponse.json(200, clean(x)))
                .orElseGet(() -> error(call, request, 404, "NOT_FOUND", "Recommendation not found."));
    }

    private static Usage usageOf(CloudState state, Map<String, Object> r) {
        String slot = (String) r.get("_slot");
        return state.usage().all().stream().filter(u -> u.slot().equals(slot)).findFirst().orElse(null);
    }

    private static Map<String, Object> clean(Map<String, Object> r) {
        Map<String, Object> out = new LinkedHashMap<>(r);
        out.keySet().removeIf(k -> k.startsWith("_"));
        return out;
    }

    /** Every recommendation of a project and region, as the API shows them (plus internal _ keys). */
    /** The current recommendations and, after them, those shown earlier that a purchase made obsolete. */
    private List<Map<String, Object>> findable(CloudState state, String project, String region) {
        List<Map<String, Object>> out = new ArrayList<>(recommendations(state, project, region));
        java.util.Set<Object> current = new java.util.HashSet<>();
        out.forEach(r -> current.add(r.get("name")));
        for (Map<String, Object> old : issued.values()) {
            if (project.equals(old.get("_project")) && region.equals(old.get("_region"))
                    && !current.contains(old.get("name"))) {
                String name = old.get("name").toString();
                Mark mark = marks.get(name);
                Map<String, Object> r = new LinkedHashMap<>(old);
                r.put("stateInfo", Map.of("state", mark == null ? "ACTIVE" : mark.state()));
                r.put("etag", etag(name, mark == null ? 0 : mark.version()));
                out.add(r);
            }
        }
        return out;
    }

    private static String etag(String name, int version) {
        return "\"" + HexFormat.of().formatHex(UUID.nameUUIDFromBytes((name + "|" + version)
                .getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8), 0, 8) + "\"";
    }

    private List<Map<String, Object>> recommendations(CloudState state, String project, String region) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Usage u : state.usage().of(Cloud.GCP, RegionCommitmentsApi.TYPE, project)) {
            if (!u.region().equals(region)) {
                continue;
            }
            String plan = u.attributes().getOrDefault("plan", "TWELVE_MONTH");
            String term = plan.equals("THIRTY_SIX_MONTH") ? "3y" : "1y";
            long held = 0;
            for (Commitment c : state.commitments(Cloud.GCP, RegionCommitmentsApi.TYPE, project, region)) {
                if (c.offering().product().equals(u.product()) && Shortfall.isActive(c, state.now())
                        && !c.state().equals("CANCELLED")) {
                    held += Long.parseLong(c.attributes().getOrDefault("vcpus", "0"));
                }
            }
            long missing = u.units().setScale(0, RoundingMode.DOWN).longValue() - held;
            Optional<Offering> offering = Shortfall.offering(state, u, term, null);
            if (missing <= 0 || offering.isEmpty()) {
                continue;
            }
            long memory = missing * Long.parseLong(u.attributes().getOrDefault("memoryMbPerVcpu", "4096"));
            BigDecimal cud = offering.get().hourly();
            BigDecimal onDemand = u.onDemandHourly() != null ? u.onDemandHourly()
                    : cud.divide(new BigDecimal(term.equals("1y") ? "0.63" : "0.45"), 6, RoundingMode.HALF_UP);
            BigDecimal saving = onDemand.subtract(cud).multiply(BigDecimal.valueOf(missing))
                    .multiply(BigDecimal.valueOf(WINDOW_SECONDS / 3600)).setScale(2, RoundingMode.HALF_UP);
            String parent = "projects/" + project + "/locations/" + region + "/recommenders/" + RECOMMENDER;
            String name = parent + "/recommendations/" + UUID.nameUUIDFromBytes((u.slot() + "|" + plan + "|" + missing)
                    .getBytes(StandardCharsets.UTF_8));
            Mark mark = marks.get(name);
            if (mark != null && mark.usage() != u) {
                mark = null; // made for an earlier usage line (before a reset or a new PUT)
            }
            String stateWord = mark == null ? "ACTIVE" : mark.state();
            int version = mark == null ? 0 : mark.version();
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("plan", plan);
            value.put("type", u.product());
            value.put("resources", List.of(Map.of("type", "VCPU", "amount", String.valueOf(missing)),
                    Map.of("type", "MEMORY", "amount", String.valueOf(memory))));
            String resource = "//compute.googleapis.com/projects/" + project + "/regions/" + region + "/commitments/";
            List<Map<String, Object>> operations = new ArrayList<>();
            if ("perPath".equals(u.attributes().get("operationShape"))) {
                operations.add(op(resource, "/plan", plan));
                operations.add(op(resource, "/type", u.product()));
                operations.add(op(resource, "/resources/0/type", "VCPU"));
                operations.add(op(resource, "/resources/0/amount", String.valueOf(missing)));
                operations.add(op(resource, "/resources/1/type", "MEMORY"));
                operations.add(op(resource, "/resources/1/amount", String.valueOf(memory)));
            } else {
                operations.add(op(resource, "/", value));
            }
            BigDecimal negative = saving.negate();
            long units = negative.setScale(0, RoundingMode.DOWN).longValue();
            int nanos = negative.subtract(BigDecimal.valueOf(units)).movePointRight(9).intValue();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("description", "Purchase a " + (term.equals("1y") ? "1 year" : "3 year") + " commitment of " + missing
                    + " vCPUs and " + memory / 1024 + " GB of memory (" + u.product() + ") in " + region);
            r.put("recommenderSubtype", "COMMITMENT_PURCHASE");
            r.put("lastRefreshTime", RegionCommitmentsApi.rfc3339(state.now()));
            r.put("primaryImpact", Map.of("category", "COST", "costProjection", Map.of(
                    "cost", Map.of("currencyCode", offering.get().currency(), "units", String.valueOf(units),
                            "nanos", nanos), "duration", WINDOW_SECONDS + "s")));
            r.put("stateInfo", Map.of("state", stateWord));
            r.put("etag", etag(name, version));
            r.put("content", Map.of("operationGroups", List.of(Map.of("operations", operations))));
            r.put("priority", "P2");
            r.put("targetResources", List.of("//compute.googleapis.com/projects/" + project));
            r.put("_project", project);
            r.put("_region", region);
            r.put("_slot", u.slot());
            issued.put(name, r);
            out.add(r);
        }
        return out;
    }

    private static Map<String, Object> op(String resource, String path, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "add");
        m.put("resourceType", "compute.googleapis.com/Commitment");
        m.put("resource", resource);
        m.put("path", path);
        m.put("value", value);
        return m;
    }
}
