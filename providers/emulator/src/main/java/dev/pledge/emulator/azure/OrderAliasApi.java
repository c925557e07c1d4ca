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
import dev.pledge.emulator.Provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure's order-alias purchase API ({@code Microsoft.BillingBenefits}, api-version 2022-11-01), as
 * much of it as Pledge uses: PUT and GET of an alias, the long-running operation behind the PUT,
 * and the list of bought commitments. A bought alias is a {@link Commitment} whose key is the
 * alias name; everything else about it lives in the commitment's attributes, so the plug-in keeps
 * no state of its own.
 * <ul>
 *   <li>A new alias: {@code 201} (reservations) or {@code 202} (savings plans) with
 *       {@code Azure-AsyncOperation} and {@code Location}. The order is {@code Creating} (or the
 *       offering's {@code provisioningState}, e.g. {@code PendingBilling}) until the offering's
 *       {@code provisioningMs} (default 0) have passed on the emulator's clock, then {@code Succeeded},
 *       or {@code Failed} when the offering's {@code provisioningOutcome} is {@code fail}. A GET of the
 *       alias, the list and the operation all show it: nothing has to poll (see {@link Provisioning}).
 *       The legacy offering attribute {@code operationPolls} additionally holds it in progress for
 *       that many polls of the operation.</li>
 *   <li>A second PUT of an existing alias buys nothing and answers {@code 200} with the existing
 *       order, or {@code 409 Conflict} when the offering's attribute {@code duplicateAlias} is
 *       {@code conflict} (the switch; Azure's real answer is unverified).</li>
 * </ul>
 */
abstract class OrderAliasApi implements CloudApi {
    static final String API_VERSION = "2022-11-01";
    static final String BILLING_BENEFITS = "/providers/microsoft.billingbenefits/";
    /** Legacy offering attribute: polls of the purchase operation that answer InProgress, on top of the time (default 0). */
    static final String OPERATION_POLLS = "operationPolls";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    /** The error a failed order reports (emulator-chosen; Azure's own codes for a failed order vary). */
    static final String FAILURE_CODE = "OrderFailed";
    /** Offering attribute: {@code conflict} makes a second PUT of an alias answer 409 instead of 200. */
    static final String DUPLICATE_ALIAS = "duplicateAlias";
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String PENDING = Provisioning.PENDING_POLLS;

    private final String type;
    private final String collection;
    private final String operationPrefix;
    private final String listPath;
    private final String opName;

    OrderAliasApi(String type, String collection, String operationPrefix, String listPath, String opName) {
        this.type = type;
        this.collection = collection;
        this.operationPrefix = operationPrefix;
        this.listPath = listPath.toLowerCase(Locale.ROOT);
        this.opName = opName;
    }

    // ---- what each alias type adds ----

    /** Parses and checks the PUT body into commitment attributes; throws {@link BadRequest}. */
    abstract PurchaseSpec parse(String alias, Map<String, Object> body);

    /** The alias resource as GET and PUT return it. */
    abstract Map<String, Object> aliasBody(Commitment c, String provisioningState);

    /** One entry of the list of bought commitments. */
    abstract Map<String, Object> listed(Commitment c);

    /** Status of a newly accepted PUT. */
    abstract int acceptedStatus();

    /** The ARM type of the order an alias creates, e.g. {@code Microsoft.Capacity/reservationOrders}. */
    abstract String orderType();

    /** What a PUT body asks for. */
    record PurchaseSpec(String billingScopeId, String location, String sku, String term, String payment, int quantity,
                        Map<String, String> attributes) {
    }

    /** A 400 naming what is wrong. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    // ---- CloudApi ----

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        String path = request.path().toLowerCase(Locale.ROOT);
        String aliases = BILLING_BENEFITS + collection.toLowerCase(Locale.ROOT) + "/";
        if (path.startsWith(aliases) && path.indexOf('/', aliases.length()) < 0 && path.length() > aliases.length()) {
            if (request.method().equals("PUT")) {
                return call(opName + "_Create", CallKind.PURCHASE);
            }
            if (request.method().equals("GET")) {
                return call(opName + "_Get", CallKind.LOOKUP);
            }
        }
        if (request.method().equals("GET")) {
            String orders = "/providers/" + orderType().toLowerCase(Locale.ROOT) + "/";
            if (path.startsWith(orders) && path.length() > orders.length() && path.indexOf('/', orders.length()) < 0) {
                return call(opName + "_GetOrder", CallKind.LOOKUP);
            }
            if (path.startsWith(BILLING_BENEFITS + "operations/" + operationPrefix)) {
                return call(opName + "_OperationStatus", CallKind.OTHER);
            }
            if (path.startsWith(BILLING_BENEFITS + "operationresults/" + operationPrefix)) {
                return call(opName + "_OperationResult", CallKind.OTHER);
            }
            if (path.equals(listPath)) {
                return call(opName + "_ListPurchases", CallKind.LOOKUP);
            }
        }
        return Optional.empty();
    }

    private Optional<CloudCall> call(String operation, CallKind kind) {
        return Optional.of(new CloudCall(Cloud.AZURE, type, operation, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Optional<CloudResponse> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String op = call.operation().substring(opName.length() + 1);
        try {
            return switch (op) {
                case "Create" -> create(request, state);
                case "Get" -> get(request, state);
                case "GetOrder" -> getOrder(request, state);
                case "OperationStatus" -> operationStatus(request, state);
                case "OperationResult" -> operationResult(request, state);
                default -> list(request, state);
            };
        } catch (BadRequest e) {
            return ArmErrors.error(400, e.code, e.getMessage());
        }
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
                + call.operation() + "' over scope '/providers/Microsoft.BillingBenefits' or the scope is invalid.");
    }

    /** ARM's answer to a call without a bearer token (401) or without an api-version (400). */
    static Optional<CloudResponse> refuse(CloudRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= "Bearer ".length()) {
            return Optional.of(ArmErrors.error(401, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing."));
        }
        if (request.queryParam("api-version") == null) {
            return Optional.of(ArmErrors.error(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests."));
        }
        return Optional.empty();
    }

    // ---- operations ----

    private CloudResponse create(CloudRequest request, CloudState state) {
        String alias = lastSegment(request.path());
        if (!ALIAS.matcher(alias).matches()) {
            throw new BadRequest("InvalidAliasName", "The alias name '" + alias
                    + "' must be 1-64 characters: letters, digits, '_', '-' and '.'");
        }
        Map<String, Object> body;
        try {
            body = request.json();
        } catch (RuntimeException e) {
            throw new BadRequest("InvalidRequestContent", "The request content is not valid JSON: " + e.getMessage());
        }
        PurchaseSpec spec = parse(alias, body);
        Offering offering = state.offerings(Cloud.AZURE, type, spec.location()).stream()
                .filter(o -> o.product().equalsIgnoreCase(spec.sku()) && o.term().equals(spec.term())
                        && spec.payment().equals(o.payment()))
                .findFirst()
                .orElseThrow(() -> new BadRequest("SkuNotAvailable", "The SKU '" + spec.sku() + "' is not available for a "
                        + spec.term() + " " + spec.payment() + " purchase in '" + spec.location() + "'"));
        Optional<Commitment> existing = byAlias(state, alias);
        if (existing.isEmpty()) {
            Map<String, String> attributes = new LinkedHashMap<>(spec.attributes());
            Provisioning provisioning;
            try {
                provisioning = Provisioning.of(offering, Duration.ZERO);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("InvalidOffering", e.getMessage());
            }
            attributes.putAll(provisioning.settleAttributes(state.now(), SUCCEEDED, FAILED));
            int polls = operationPolls(offering);
            if (polls > 0) {
                attributes.put(PENDING, String.valueOf(polls));
            }
            String inProgress = provisioning.inProgress("Creating");
            Commitment bought = new Commitment(Cloud.AZURE, type, spec.billingScopeId(), spec.location(), newOrderId(),
                    alias, offering, spec.quantity(), Map.of(), state.now(), inProgress, attributes);
            existing = state.addUnlessKeyTaken(bought);
            if (existing.isEmpty()) {
                String base = baseUrl(request);
                String operationId = operationPrefix + alias;
                return CloudResponse.json(acceptedStatus(), aliasBody(bought, inProgress))
                        .withHeader("Azure-AsyncOperation", base + "/providers/Microsoft.BillingBenefits/operations/"
                                + operationId + "?api-version=" + API_VERSION)
                        .withHeader("Location", base + "/providers/Microsoft.BillingBenefits/operationResults/"
                                + operationId + "?api-version=" + API_VERSION);
            }
        }
        Commitment holder = existing.get();
        Offering current = state.offering(Cloud.AZURE, type, holder.offering().offeringId()).orElse(holder.offering());
        if ("conflict".equalsIgnoreCase(current.attribute(DUPLICATE_ALIAS))) {
            return ArmErrors.error(409, "Conflict", "An order alias named '" + alias + "' already exists.");
        }
        return CloudResponse.json(200, view(holder));
    }

    private CloudResponse get(CloudRequest request, CloudState state) {
        String alias = lastSegment(request.path());
        return byAlias(state, alias).map(c -> CloudResponse.json(200, view(c))).orElseGet(() -> notFound(alias));
    }

    /** {@code GET /providers/{orderType}/{id}}: the order an alias created, with its provisioning state. */
    private CloudResponse getOrder(CloudRequest request, CloudState state) {
        Optional<Commitment> order = state.commitments(c -> c.cloud() == Cloud.AZURE && c.type().equals(type)
                && c.id().equalsIgnoreCase(request.path())).stream().findFirst();
        if (order.isEmpty()) {
            return ArmErrors.error(404, "ResourceNotFound", "The order '" + request.path() + "' was not found.");
        }
        Commitment c = order.get();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("displayName", c.attribute("displayName"));
        props.put("billingScopeId", c.account());
        props.put("term", c.attribute("term"));
        if (c.attribute("billingPlan") != null) {
            props.put("billingPlan", c.attribute("billingPlan"));
        }
        props.put("createdDateTime", c.createdAt().toString());
        props.put("provisioningState", c.state());
        if (FAILED.equals(c.state())) {
            props.put("error", failure(c));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("name", lastSegment(c.id()));
        body.put("type", orderType());
        body.put("properties", props);
        return CloudResponse.json(200, body);
    }

    /** The alias as GET answers it; a failed order carries its error. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> view(Commitment c) {
        Map<String, Object> body = aliasBody(c, c.state());
        if (FAILED.equals(c.state()) && body.get("properties") instanceof Map<?, ?> props) {
            ((Map<String, Object>) props).put("error", failure(c));
        }
        return body;
    }

    private static Map<String, Object> failure(Commitment c) {
        return Map.of("code", FAILURE_CODE, "message", "The order " + c.id() + " failed after it was accepted; nothing"
                + " was bought (emulated: the offering's provisioningOutcome is fail)");
    }

    private CloudResponse operationStatus(CloudRequest request, CloudState state) {
        String alias = lastSegment(request.path()).substring(operationPrefix.length());
        Optional<Commitment> c = byAlias(state, alias).map(x -> advance(state, x));
        if (c.isEmpty()) {
            return ArmErrors.error(404, "OperationNotFound", "No operation for alias '" + alias + "'");
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", "/providers/Microsoft.BillingBenefits/operations/" + operationPrefix + alias);
        status.put("name", operationPrefix + alias);
        String s = c.get().state();
        status.put("status", s.equals(SUCCEEDED) || s.equals(FAILED) ? s : "InProgress");
        status.put("startTime", c.get().createdAt().toString());
        if (s.equals(FAILED)) {
            status.put("error", failure(c.get()));
        }
        return CloudResponse.json(200, status);
    }

    private CloudResponse operationResult(CloudRequest request, CloudState state) {
        String alias = lastSegment(request.path()).substring(operationPrefix.length());
        Optional<Commitment> c = byAlias(state, alias).map(x -> advance(state, x));
        if (c.isEmpty()) {
            return ArmErrors.error(404, "OperationNotFound", "No operation for alias '" + alias + "'");
        }
        if (!c.get().state().equals(SUCCEEDED) && !c.get().state().equals(FAILED)) {
            return new CloudResponse(202, Map.of("Location", baseUrl(request) + request.path() + "?api-version="
                    + API_VERSION), "");
        }
        return CloudResponse.json(200, view(c.get()));
    }

    private CloudResponse list(CloudRequest request, CloudState state) {
        List<Commitment> all = state.commitments(c -> c.cloud() == Cloud.AZURE && c.type().equals(type));
        int pageSize = 50;
        int skip = 0;
        String token = request.queryParam("$skiptoken");
        if (token != null) {
            try {
                skip = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw new BadRequest("InvalidSkipToken", "The $skiptoken '" + token + "' is not valid");
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = skip; i < Math.min(all.size(), skip + pageSize); i++) {
            page.add(listed(all.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page);
        if (skip + pageSize < all.size()) {
            body.put("nextLink", baseUrl(request) + request.path() + "?api-version=" + API_VERSION + "&$skiptoken="
                    + (skip + pageSize));
        }
        return CloudResponse.json(200, body);
    }

    /**
     * One poll of the purchase operation: counts down the legacy pending polls; the state itself moves
     * with time ({@link Provisioning}); a poll that counts one down answers in progress.
     */
    private Commitment advance(CloudState state, Commitment c) {
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

    // ---- helpers ----

    Optional<Commitment> byAlias(CloudState state, String alias) {
        return state.commitments(c -> c.cloud() == Cloud.AZURE && c.type().equals(type) && alias.equals(c.key()))
                .stream().findFirst();
    }

    abstract String newOrderId();

    private CloudResponse notFound(String alias) {
        return ArmErrors.error(404, "ResourceNotFound", "The " + collection + " resource '" + alias + "' was not found.");
    }

    private static int operationPolls(Offering offering) {
        String v = offering.attribute(OPERATION_POLLS);
        try {
            return v == null ? 0 : Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String aliasResourceId(String collection, String alias) {
        return "/providers/Microsoft.BillingBenefits/" + collection + "/" + alias;
    }

    static String lastSegment(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String baseUrl(CloudRequest request) {
        String host = request.header("Host");
        return "http://" + (host == null ? "127.0.0.1" : host);
    }

    // ---- body parsing ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> parent, String key, String field) {
        Object v = parent.get(key);
        if (!(v instanceof Map)) {
            throw new BadRequest("InvalidRequestContent", "The request is missing '" + field + "'.");
        }
        return (Map<String, Object>) v;
    }

    static String text(Map<String, Object> parent, String key, String field) {
        Object v = parent.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new BadRequest("InvalidRequestContent", "The request is missing '" + field + "'.");
        }
        return String.valueOf(v);
    }

    static String optionalText(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** {@code P1Y} -> {@code 1y}. */
    static String term(String iso, String field) {
        Matcher m = Pattern.compile("P([135])Y").matcher(iso);
        if (!m.matches()) {
            throw new BadRequest("InvalidTerm", "'" + field + "' must be P1Y, P3Y or P5Y, was '" + iso + "'");
        }
        return m.group(1) + "y";
    }

    /** No billingPlan is an upfront payment; {@code P1M} is monthly. */
    static String payment(String billingPlan) {
        if (billingPlan == null) {
            return "upfront";
        }
        if (billingPlan.equals("P1M")) {
            return "monthly";
        }
        throw new BadRequest("InvalidBillingPlan", "'properties.billingPlan' must be P1M or absent, was '"
                + billingPlan + "'");
    }

    /** Copies the common properties into commitment attributes. */
    static void common(Map<String, Object> props, Map<String, String> attributes, String alias) {
        attributes.put("displayName", Optional.ofNullable(optionalText(props, "displayName")).orElse(alias));
        attributes.put("term", text(props, "term", "properties.term"));
        String plan = optionalText(props, "billingPlan");
        if (plan != null) {
            attributes.put("billingPlan", plan);
        }
        attributes.put("appliedScopeType", Optional.ofNullable(optionalText(props, "appliedScopeType")).orElse("Shared"));
        attributes.put("renew", String.valueOf(Boolean.parseBoolean(optionalText(props, "renew"))));
    }

    /** Writes the common properties of an alias back from the attributes. */
    static void commonProperties(Commitment c, Map<String, Object> props) {
        props.put("displayName", c.attribute("displayName"));
        props.put("billingScopeId", c.account());
        props.put("term", c.attribute("term"));
        if (c.attribute("billingPlan") != null) {
            props.put("billingPlan", c.attribute("billingPlan"));
        }
        props.put("appliedScopeType", c.attribute("appliedScopeType"));
        props.put("renew", Boolean.parseBoolean(c.attribute("renew")));
    }
}
