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
import dev.pledge.emulator.Provisioning;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Compute Engine's regional commitments ({@code compute/v1}): insert, get, list, and the region
 * operation an insert returns. A commitment is a {@link Commitment} keyed by its name, remembering
 * the {@code requestId} that bought it; an operation's name encodes its requestId and commitment
 * name, so its state derives from the commitment and the plug-in keeps none of its own.
 * <ul>
 *   <li>insert answers an operation {@code RUNNING}; the commitment is {@code CREATING} until the
 *       offering's {@code provisioningMs} (default 0) have passed on the emulator's clock, then
 *       {@code NOT_YET_ACTIVE} (commitments start the next day), or {@code CANCELLED} with a
 *       {@code statusMessage} when the offering's {@code provisioningOutcome} is {@code fail} (its
 *       operation then ends {@code DONE} with an error). A get, a list and the operation all show it
 *       (see {@link Provisioning}); the legacy attribute {@code operationPolls} additionally holds the
 *       operation RUNNING for that many polls;</li>
 *   <li>the same requestId again returns the same operation and buys nothing;</li>
 *   <li>the same name with another requestId returns an operation that ends {@code DONE} with a 409
 *       {@code RESOURCE_ALREADY_EXISTS} error.</li>
 * </ul>
 */
public final class RegionCommitmentsApi implements CloudApi {
    static final String TYPE = "gcp-compute";
    /** Legacy offering attribute: polls of an insert's operation that answer RUNNING, on top of the time (default 0). */
    static final String OPERATION_POLLS = "operationPolls";
    static final String CREATING = "CREATING";
    static final String FAILED = "CANCELLED";
    /** The operation error of a commitment whose creation failed (emulator-chosen). */
    static final String FAILURE_CODE = "COMMITMENT_CREATION_FAILED";
    private static final Pattern PATH = Pattern.compile(
            "/compute/v1/projects/([a-z][a-z0-9-]{4,28}[a-z0-9])/regions/([a-z0-9-]+)/(commitments|operations)(?:/([^/]+))?/?");
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String OPERATION_PREFIX = "operation-";
    private static final String PENDING = Provisioning.PENDING_POLLS;
    private static final String HOST = "https://www.googleapis.com/compute/v1/";

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean commitments = m.group(3).equals("commitments");
        boolean named = m.group(4) != null;
        String method = request.method();
        if (commitments && !named && method.equals("POST")) {
            return call("RegionCommitments.insert", CallKind.PURCHASE);
        }
        if (commitments && named && method.equals("GET")) {
            return call("RegionCommitments.get", CallKind.LOOKUP);
        }
        if (commitments && !named && method.equals("GET")) {
            return call("RegionCommitments.list", CallKind.LOOKUP);
        }
        if (!commitments && named && method.equals("GET")) {
            return call("RegionOperations.get", CallKind.OTHER);
        }
        return Optional.empty();
    }

    private static Optional<CloudCall> call(String operation, CallKind kind) {
        return Optional.of(new CloudCall(Cloud.GCP, TYPE, operation, kind));
    }

    @Override
    public List<Offering> seedOfferings() {
        return GcpCatalog.commitments();
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return error(call, request, 404, "notFound", "unknown path");
        }
        String project = m.group(1);
        String region = m.group(2);
        String name = m.group(4);
        try {
            return switch (call.operation()) {
                case "RegionCommitments.insert" -> insert(request, state, project, region);
                case "RegionCommitments.get" -> state.byKey(Cloud.GCP, TYPE, project, name)
                        .filter(c -> c.region().equals(region))
                        .map(c -> CloudResponse.json(200, commitmentJson(c)))
                        .orElseGet(() -> notFound("commitments", project, region, name));
                case "RegionCommitments.list" -> list(request, state, project, region);
                default -> operation(state, project, region, name);
            };
        } catch (BadRequest e) {
            return error(call, request, 400, "invalid", e.getMessage());
        }
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String reason = code != null ? code : switch (status) {
            case 400 -> "invalid";
            case 401 -> "required";
            case 403 -> "forbidden";
            case 404 -> "notFound";
            case 409 -> "alreadyExists";
            case 429 -> "rateLimitExceeded";
            default -> "backendError";
        };
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", message);
        detail.put("domain", "global");
        detail.put("reason", reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message);
        error.put("errors", List.of(detail));
        return CloudResponse.json(status, Map.of("error", error));
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "forbidden", "Required '" + call.operation().replace("RegionCommitments.",
                "compute.commitments.").replace("RegionOperations.", "compute.regionOperations.")
                + "' permission for the project");
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 429, "rateLimitExceeded", "Rate Limit Exceeded");
    }

    // ---- insert ----

    private CloudResponse insert(CloudRequest request, CloudState state, String project, String region) {
        String requestId = request.queryParam("requestId");
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        } else if (!UUID_TEXT.matcher(requestId).matches() || UUID.fromString(requestId).equals(new UUID(0, 0))) {
            throw new BadRequest("Invalid value for field 'requestId': '" + requestId + "'. Must be a valid, non-zero UUID.");
        }
        requestId = requestId.toLowerCase(Locale.ROOT);
        Map<String, Object> body;
        try {
            body = request.json();
        } catch (RuntimeException e) {
            throw new BadRequest("Invalid JSON payload received. " + e.getMessage());
        }
        String name = text(body, "name");
        if (!NAME.matcher(name).matches()) {
            throw new BadRequest("Invalid value for field 'resource.name': '" + name
                    + "'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
        }
        String plan = text(body, "plan");
        String term = switch (plan) {
            case "TWELVE_MONTH" -> "1y";
            case "THIRTY_SIX_MONTH" -> "3y";
            default -> throw new BadRequest("Invalid value for field 'resource.plan': '" + plan + "'.");
        };
        String type = body.get("type") == null ? "GENERAL_PURPOSE" : String.valueOf(body.get("type"));
        Offering offering = state.offerings(Cloud.GCP, TYPE, region).stream()
                .filter(o -> o.product().equals(type) && o.term().equals(term)).findFirst()
                .orElseThrow(() -> new BadRequest("Invalid value for field 'resource.type': '" + type
                        + "'. Commitments of this type are not sold in region '" + region + "' for plan " + plan + "."));
        Map<String, String> attributes = resources(body);
        attributes.put("requestId", requestId);
        attributes.put("plan", plan);
        attributes.put("commitmentType", type);
        attributes.put("category", body.get("category") == null ? "MACHINE" : String.valueOf(body.get("category")));
        attributes.put("autoRenew", String.valueOf(Boolean.parseBoolean(String.valueOf(body.get("autoRenew")))));
        if (body.get("description") != null) {
            attributes.put("description", String.valueOf(body.get("description")));
        }
        Provisioning provisioning;
        try {
            provisioning = Provisioning.of(offering, Duration.ZERO);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        attributes.putAll(provisioning.settleAttributes(state.now(), "NOT_YET_ACTIVE", FAILED));
        if (provisioning.fails()) {
            attributes.put("statusMessage", "The commitment could not be created after the insert was accepted; nothing"
                    + " was bought (emulated: the offering's provisioningOutcome is fail)");
        }
        int polls = operationPolls(offering);
        if (polls > 0) {
            attributes.put(PENDING, String.valueOf(polls));
        }

        Optional<Commitment> existing = state.byKey(Cloud.GCP, TYPE, project, name);
        if (existing.isEmpty()) {
            Commitment bought = new Commitment(Cloud.GCP, TYPE, project, region, numericId(project, region, name), name,
                    offering, 1, Map.of(), state.now(), CREATING, attributes);
            existing = state.addUnlessKeyTaken(bought);
            if (existing.isEmpty()) {
                return CloudResponse.json(200, operationJson(bought, requestId, false));
            }
        }
        // an existing name: the same requestId is a repeat (the same operation, nothing bought);
        // another requestId gets an operation that fails with 409 alreadyExists
        return CloudResponse.json(200, operationJson(existing.get(), requestId, false));
    }

    private static Map<String, String> resources(Map<String, Object> body) {
        Object list = body.get("resources");
        if (!(list instanceof List<?> items) || items.isEmpty()) {
            throw new BadRequest("Invalid value for field 'resource.resources': at least VCPU and MEMORY are required.");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> r)) {
                throw new BadRequest("Invalid value for field 'resource.resources'.");
            }
            String type = String.valueOf(r.get("type"));
            long amount;
            try {
                amount = Long.parseLong(String.valueOf(r.get("amount")));
            } catch (NumberFormatException e) {
                throw new BadRequest("Invalid value for field 'resource.resources.amount': '" + r.get("amount") + "'.");
            }
            if (amount <= 0) {
                throw new BadRequest("Invalid value for field 'resource.resources.amount': must be greater than 0.");
            }
            switch (type) {
                case "VCPU" -> attributes.put("vcpus", String.valueOf(amount));
                case "MEMORY" -> attributes.put("memoryMb", String.valueOf(amount));
                case "LOCAL_SSD" -> attributes.put("localSsdGb", String.valueOf(amount));
                case "ACCELERATOR" -> {
                    attributes.put("acceleratorCount", String.valueOf(amount));
                    attributes.put("acceleratorType", String.valueOf(r.get("acceleratorType")));
                }
                default -> throw new BadRequest("Invalid value for field 'resource.resources.type': '" + type + "'.");
            }
        }
        if (!attributes.containsKey("vcpus") || !attributes.containsKey("memoryMb")) {
            throw new BadRequest("Invalid value for field 'resource.resources': a commitment needs both VCPU and MEMORY.");
        }
        return attributes;
    }

    // ---- operations ----

    private CloudResponse operation(CloudState state, String project, String region, String operationName) {
        if (!operationName.startsWith(OPERATION_PREFIX) || operationName.length() < OPERATION_PREFIX.length() + 38) {
            return notFound("operations", project, region, operationName);
        }
        String rest = operationName.substring(OPERATION_PREFIX.length());
        String requestId = rest.substring(0, 36);
        String name = rest.substring(38);
        Optional<Commitment> c = state.byKey(Cloud.GCP, TYPE, project, name).filter(x -> x.region().equals(region));
        if (c.isEmpty()) {
            return notFound("operations", project, region, operationName);
        }
        Commitment commitment = c.get();
        if (requestId.equals(commitment.attribute("requestId"))) {
            commitment = advance(state, commitment);
        }
        return CloudResponse.json(200, operationJson(commitment, requestId, true));
    }

    /**
     * One poll: counts the legacy pending polls down; the state itself moves with time
     * ({@link Provisioning}); a poll that counts one down answers in progress.
     */
    private static Commitment advance(CloudState state, Commitment c) {
        String pending = c.attributes().get(PENDING);
        if (pending == null || pending.equals("0")) {
            return c;
        }
        Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
        attributes.put(PENDING, String.valueOf(Math.max(0, Integer.parseInt(pending) - 1)));
        state.add(new Commitment(c.cloud(), c.type(), c.account(), c.region(), c.id(), c.key(), c.offering(),
                c.quantity(), c.tags(), c.createdAt(), c.state(), attributes));
        return c; // this poll still answers in progress
    }

    /** The operation of an insert of {@code c}'s name with {@code requestId}, as it stands. */
    private static Map<String, Object> operationJson(Commitment c, String requestId, boolean polled) {
        boolean ours = requestId.equals(c.attribute("requestId"));
        boolean done = !ours ? polled : !c.state().equals(CREATING);
        String operationName = OPERATION_PREFIX + requestId + "--" + c.key();
        String regionLink = HOST + "projects/" + c.account() + "/regions/" + c.region();
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("kind", "compute#operation");
        op.put("id", String.valueOf(Math.abs(UUID.nameUUIDFromBytes(operationName.getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits() >>> 1)));
        op.put("name", operationName);
        op.put("operationType", "insert");
        op.put("targetLink", regionLink + "/commitments/" + c.key());
        op.put("targetId", c.id());
        op.put("status", done ? "DONE" : "RUNNING");
        op.put("user", "pledge-emulator@" + c.account() + ".iam.gserviceaccount.com");
        op.put("progress", done ? 100 : 0);
        op.put("insertTime", rfc3339(c.createdAt()));
        op.put("startTime", rfc3339(c.createdAt()));
        if (done) {
            op.put("endTime", rfc3339(c.createdAt()));
        }
        op.put("selfLink", regionLink + "/operations/" + operationName);
        op.put("region", regionLink);
        if (ours && done && c.state().equals(FAILED)) {
            op.put("error", Map.of("errors", List.of(Map.of("code", FAILURE_CODE, "message",
                    String.valueOf(c.attribute("statusMessage"))))));
            op.put("httpErrorStatusCode", 400);
            op.put("httpErrorMessage", "BAD REQUEST");
        }
        if (!ours && done) {
            String message = "The resource 'projects/" + c.account() + "/regions/" + c.region() + "/commitments/"
                    + c.key() + "' already exists";
            op.put("error", Map.of("errors", List.of(Map.of("code", "RESOURCE_ALREADY_EXISTS", "message", message))));
            op.put("httpErrorStatusCode", 409);
            op.put("httpErrorMessage", "CONFLICT");
        }
        return op;
    }

    // ---- reads ----

    private CloudResponse list(CloudRequest request, CloudState state, String project, String region) {
        List<Commitment> all = state.commitments(Cloud.GCP, TYPE, project, region);
        int max = 500;
        if (request.queryParam("maxResults") != null) {
            try {
                max = Math.max(1, Math.min(500, Integer.parseInt(request.queryParam("maxResults"))));
            } catch (NumberFormatException e) {
                throw new BadRequest("Invalid value for field 'maxResults'.");
            }
        }
        int from = 0;
        if (request.queryParam("pageToken") != null && !request.queryParam("pageToken").isEmpty()) {
            try {
                from = Integer.parseInt(request.queryParam("pageToken"));
            } catch (NumberFormatException e) {
                throw new BadRequest("Invalid value for field 'pageToken'.");
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            items.add(commitmentJson(all.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "compute#commitmentList");
        body.put("id", "projects/" + project + "/regions/" + region + "/commitments");
        body.put("items", items);
        if (from + max < all.size()) {
            body.put("nextPageToken", String.valueOf(from + max));
        }
        body.put("selfLink", HOST + "projects/" + project + "/regions/" + region + "/commitments");
        return CloudResponse.json(200, body);
    }

    static Map<String, Object> commitmentJson(Commitment c) {
        String regionLink = HOST + "projects/" + c.account() + "/regions/" + c.region();
        Instant start = LocalDate.ofInstant(c.createdAt(), ZoneOffset.UTC).plusDays(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        int years = c.offering().years();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "compute#commitment");
        m.put("id", c.id());
        m.put("creationTimestamp", rfc3339(c.createdAt()));
        m.put("name", c.key());
        if (c.attribute("description") != null) {
            m.put("description", c.attribute("description"));
        }
        m.put("region", regionLink);
        m.put("selfLink", regionLink + "/commitments/" + c.key());
        m.put("status", c.state());
        if (c.attribute("statusMessage") != null && !c.state().equals(CREATING)) {
            m.put("statusMessage", c.attribute("statusMessage"));
        }
        m.put("plan", c.attribute("plan"));
        m.put("startTimestamp", rfc3339(start));
        m.put("endTimestamp", rfc3339(start.atZone(ZoneOffset.UTC).plusYears(years).toInstant()));
        List<Map<String, Object>> resources = new ArrayList<>();
        resources.add(Map.of("type", "VCPU", "amount", c.attribute("vcpus")));
        resources.add(Map.of("type", "MEMORY", "amount", c.attribute("memoryMb")));
        if (c.attribute("localSsdGb") != null) {
            resources.add(Map.of("type", "LOCAL_SSD", "amount", c.attribute("localSsdGb")));
        }
        if (c.attribute("acceleratorType") != null) {
            resources.add(Map.of("type", "ACCELERATOR", "acceleratorType", c.attribute("acceleratorType"),
                    "amount", c.attribute("acceleratorCount")));
        }
        m.put("resources", resources);
        m.put("type", c.attribute("commitmentType"));
        m.put("category", c.attribute("category"));
        m.put("autoRenew", Boolean.parseBoolean(c.attribute("autoRenew")));
        return m;
    }

    private CloudResponse notFound(String collection, String project, String region, String name) {
        return error(null, null, 404, "notFound", "The resource 'projects/" + project + "/regions/" + region + "/"
                + collection + "/" + name + "' was not found");
    }

    // ---- helpers ----

    private static String text(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new BadRequest("Required field 'resource." + field + "' not specified");
        }
        return String.valueOf(v);
    }

    private static int operationPolls(Offering offering) {
        String v = offering.attribute(OPERATION_POLLS);
        try {
            return v == null ? 0 : Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A stable positive numeric id, as Compute gives every resource. */
    static String numericId(String project, String region, String name) {
        UUID u = UUID.nameUUIDFromBytes((project + "/" + region + "/" + name).getBytes(StandardCharsets.UTF_8));
        return String.valueOf(u.getMostSignificantBits() >>> 1);
    }

    static String rfc3339(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toString();
    }

    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
