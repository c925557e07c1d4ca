package dev.pledge.azure;

import com.azure.core.management.exception.ManagementException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.common.idempotency.KeyCharset;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.ProviderSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buys through an order alias: {@code PUT .../{collection}/{alias}} where the alias derives from
 * the item token, so the alias is the idempotency key Azure enforces.
 * <ol>
 *   <li>an unfinished, young earlier attempt: {@link AttemptInFlightException}, nothing is read or sent;</li>
 *   <li>guard: GET the alias; succeeded or in progress means already owned;</li>
 *   <li>the caller's gate, then PUT once; 201/202 is followed to the end. An order still in progress when
 *       the poll timeout runs out (or whose status cannot be read) is read back: in progress is a
 *       confirming outcome, absent or unreadable an unknown one;</li>
 *   <li>a 409, or a 200 answering with an existing order: GET, confirm it is this request, {@code RECOVERED}.</li>
 * </ol>
 * Every outcome whose order is not {@code Succeeded} yet ({@code Creating}, {@code PendingBilling}, ...) is
 * {@link PurchaseOutcome#confirming()}; {@link #confirm} follows it to {@code Succeeded} or a failure.
 */
abstract class OrderAliasExecutor implements CommitmentExecutor {
    static final String ALIAS_PREFIX = "pledge-";
    /** Conservative: ARM names allow more, but the alias length limit of these APIs is not documented. */
    static final int ALIAS_MAX_LENGTH = 50;

    protected final Logger log = LoggerFactory.getLogger(getClass());
    private final ArmConnections connections;
    private final ArmOperationPoller poller;
    private final ProviderSettings settings;
    private final dev.pledge.common.spi.MissingCommitments missing = new dev.pledge.common.spi.MissingCommitments();

    OrderAliasExecutor(ArmConnections connections, ProviderSettings settings) {
        this.connections = connections;
        this.settings = settings;
        this.poller = new ArmOperationPoller(settings.pollInterval(), settings.pollTimeout());
    }

    @Override
    public void forgetAccount(String account) {
        connections.forget(account);
    }

    /** e.g. {@code /providers/Microsoft.BillingBenefits/reservationOrderAliases/}. */
    abstract String aliasCollection();

    /** {@code reservationOrderId} or {@code savingsPlanOrderId}. */
    abstract String orderIdField();

    /** The PUT body; validates everything it reads. */
    abstract ObjectNode body(CommitmentRequest request, String alias);

    /** Null when the alias's order is what the request asks for, else what differs. */
    abstract String mismatch(CommitmentRequest request, AliasOrder order);

    /** The ARM list of bought commitments that {@link #recentPurchases} filters. */
    abstract String purchasesListPath();

    /** Null when a listed commitment is not of this request's account/offering/region. */
    abstract ExistingCommitment existing(CommitmentRequest request, JsonNode item);

    @Override
    public DedupeStrength dedupeStrength() {
        return DedupeStrength.SERVER_KEY;
    }

    @Override
    public void validate(CommitmentRequest request) {
        if (request.type() != type()) {
            throw new ValidationException("type", "this executor buys " + type().slug() + ", not " + request.type().slug());
        }
        body(request, ALIAS_PREFIX + "0".repeat(KeyDerivation.MIN_HEX));
    }

    @Override
    public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
        return Map.of("alias", alias(context));
    }

    static String alias(PurchaseContext context) {
        return KeyDerivation.reservationId(context.keySource(), ALIAS_PREFIX, ALIAS_MAX_LENGTH,
                KeyCharset.ALNUM_HYPHEN_UNDERSCORE);
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        String alias = alias(context);
        ObjectNode body = body(request, alias);
        String path = aliasPath(alias);
        String what = type().slug() + " alias " + alias;
        ArmClient arm = connections.forAccount(request.account());

        if (context.idempotent()) {
            AttemptInFlightException.refuseIfInFlight(context, settings.clock().instant(), settings.inFlightBound());
            Optional<AliasOrder> existing = guard(arm, path, alias, what);
            if (existing.isPresent()) {
                checkSameRequest(request, existing.get(), what);
                log.info("{}: already owned (order {}, {}); nothing bought", what, existing.get().commitmentId(),
                        existing.get().provisioningState());
                return PurchaseOutcome.alreadyOwned(existing.get().commitmentId(), alias)
                        .confirmingIf(!existing.get().succeeded());
            }
        }

        if (context.priceCeiling().isPresent()) {
            // issue 16: the approved price is checked against a fresh quote after the guard, before the PUT
            context.priceCeiling().get().check(what, quote(request));
        }
        ArmClient.ArmResponse accepted;
        try {
            log.debug("{}: PUT {} for {} x {} ({})", what, path, request.quantity(), request.offering(),
                    context.idempotent() ? "guarded" : "one-off, no guard");
            context.beforePurchaseCall();
            accepted = arm.put(path, body);
        } catch (ManagementException e) {
            if (e.getResponse().getStatusCode() == 409) {
                log.info("{}: Azure answered 409 {} for our alias; confirming", what, ArmFailures.code(e));
                return recover(arm, request, path, alias, what, e);
            }
            throw ArmFailures.onPurchase(what, e);
        } catch (ArmTransportException e) {
            throw ArmFailures.onTransport(what, e);
        }
        if (accepted.status() == 200) {
            log.info("{}: Azure answered 200 with an existing order for our alias; confirming", what);
            return recover(arm, request, path, alias, what, null);
        }
        JsonNode result;
        try {
            result = poller.awaitResult(arm, accepted, path, what);
        } catch (ArmOperationPoller.Unfinished unfinished) {
            return unfinished(arm, request, path, alias, what, unfinished);
        }
        AliasOrder order = AliasOrder.parse(result, orderIdField(), aliasResourceId(alias));
        if (order.orderId().isBlank()) {
            order = readBack(arm, path, alias, what).orElse(order);
        }
        log.info("{}: bought order {} ({})", what, order.commitmentId(), order.provisioningState());
        return PurchaseOutcome.bought(order.commitmentId(), alias).confirmingIf(!order.succeeded());
    }

    /**
     * The order was accepted but the poller could not see it finish. Azure holds the alias from the moment
     * it accepted the PUT, so its state decides: in progress is a confirming purchase, succeeded a purchase,
     * failed nothing bought; absent or unreadable stays an unknown outcome.
     */
    private PurchaseOutcome unfinished(ArmClient arm, CommitmentRequest request, String path, String alias, String what,
                                       ArmOperationPoller.Unfinished unfinished) {
        if (Thread.currentThread().isInterrupted()) {
            throw unfinished;
        }
        Optional<JsonNode> found;
        try {
            found = arm.find(path);
        } catch (ManagementException | ArmTransportException e) {
            unfinished.addSuppressed(e);
            throw unfinished;
        }
        if (found.isEmpty()) {
            throw unfinished;
        }
        AliasOrder order = AliasOrder.parse(found.get(), orderIdField(), aliasResourceId(alias));
        if (order.endedWithoutOrder()) {
            throw new PurchaseRejectedException(what + ": Azure ended the order without buying ("
                    + order.provisioningState() + (order.error().isEmpty() ? "" : ", " + order.error()) + ")",
                    order.provisioningState(), unfinished);
        }
        if (!order.owned()) {
            throw unfinished;
        }
        checkSameRequest(request, order, what);
        log.info("{}: bought order {}, still {} when polling stopped; confirming it later", what, order.commitmentId(),
                order.provisioningState());
        return PurchaseOutcome.bought(order.commitmentId(), alias).confirmingIf(!order.succeeded());
    }

    /**
     * Reads an order this executor returned as confirming: the alias (when {@code commitmentId} is the
     * alias's id) or the reservation / savings plan order. Succeeded is active; Failed, Cancelled,
     * Expired or gone is failed, with Azure's words; anything else is still pending.
     */
    @Override
    public Confirmation confirm(CommitmentRequest request, String commitmentId) {
        if (commitmentId == null || commitmentId.isBlank() || !commitmentId.startsWith("/providers/")) {
            throw new IllegalArgumentException("commitmentId must be an ARM id such as " + aliasCollection()
                    + "{alias} or an order id, was '" + commitmentId + "'");
        }
        String what = type().slug() + " order " + commitmentId;
        Optional<JsonNode> found;
        try {
            found = connections.forAccount(request.account()).find(commitmentId + "?api-version=" + ArmClient.API_VERSION);
        } catch (ManagementException | ArmTransportException e) {
            String code = e instanceof ManagementException m ? ArmFailures.code(m) : null;
            throw new GuardUndecidedException(what + ": could not read its state (" + (code != null ? code
                    : ArmClient.rootMessage(e)) + "); asked again later", code, e);
        }
        if (found.isEmpty()) {
            return missing.stillYoung(commitmentId, settings.clock().instant(), settings.pollTimeout(), what)
                    .orElseGet(() -> Confirmation.failed(what + ": Azure knows no such order (404 NotFound) for longer"
                            + " than " + settings.pollTimeout() + "; nothing is held"));
        }
        missing.found(commitmentId);
        AliasOrder order = AliasOrder.parse(found.get(), orderIdField(), commitmentId);
        String state = order.provisioningState();
        if (order.succeeded()) {
            return Confirmation.active(what + " is " + state);
        }
        if (order.endedWithoutOrder()) {
            return Confirmation.failed(what + " ended " + state + (order.error().isEmpty() ? "" : " (" + order.error()
                    + ")") + "; nothing is held");
        }
        if (order.inProgress()) {
            return Confirmation.pending(what + " is " + state);
        }
        return Confirmation.pending(what + " is in state '" + state + "', which Pledge does not know; asked again"
                + " later, a person may need to look");
    }

    /**
     * The alias read back after its operation finished without naming the order (e.g. a Location that
     * answers 204), so BOUGHT reports the same order id a later guard will; empty if the read fails.
     */
    private Optional<AliasOrder> readBack(ArmClient arm, String path, String alias, String what) {
        try {
            return arm.find(path).map(json -> AliasOrder.parse(json, orderIdField(), aliasResourceId(alias)));
        } catch (ManagementException | ArmTransportException e) {
            log.warn("{}: bought, but reading the order id back failed ({}); reporting the alias id", what,
                    ArmClient.rootMessage(e));
            return Optional.empty();
        }
    }

    /** The alias as it stands, when it holds or will hold an order. */
    private Optional<AliasOrder> guard(ArmClient arm, String path, String alias, String what) {
        Optional<JsonNode> found;
        try {
            found = arm.find(path);
        } catch (ManagementException | ArmTransportException e) {
            throw ArmFailures.onGuard(what, e);
        }
        if (found.isEmpty()) {
            log.debug("{}: guard found no alias; buying", what);
            return Optional.empty();
        }
        AliasOrder order = AliasOrder.parse(found.get(), orderIdField(), aliasResourceId(alias));
        if (order.owned()) {
            return Optional.of(order);
        }
        if (order.endedWithoutOrder()) {
            log.info("{}: alias exists but ended {} without an order; buying again under the same alias", what,
                    order.provisioningState());
            return Optional.empty();
        }
        throw new GuardUndecidedException(what + ": the alias is in state '" + order.provisioningState()
                + "', which the guard does not know; nothing was bought, a person must look");
    }

    private PurchaseOutcome recover(ArmClient arm, CommitmentRequest request, String path, String alias, String what,
                                    ManagementException conflict) {
        Optional<JsonNode> found;
        try {
            found = arm.find(path);
        } catch (ManagementException | ArmTransportException e) {
            throw new OutcomeUnknownException(what + ": Azure says the alias exists but reading it back failed ("
                    + ArmClient.rootMessage(e) + "); re-drive with the same token to let the guard decide", e);
        }
        if (found.isEmpty()) {
            // Azure itself just said the alias exists: a read that misses it is lagging, not proof that
            // nothing was bought. Calling it a rejection would record FAILED while the cloud holds the order.
            String code = conflict == null ? "ExistingOrderNotFound" : ArmFailures.code(conflict);
            throw new OutcomeUnknownException(what + ": Azure reported that the alias exists (" + code
                    + ") but reading it back found nothing; it may have been bought. Re-drive with the same token:"
                    + " the guard decides", code, conflict);
        }
        AliasOrder order = AliasOrder.parse(found.get(), orderIdField(), aliasResourceId(alias));
        if (order.endedWithoutOrder()) {
            throw new PurchaseRejectedException(what + ": the existing alias is in state '" + order.provisioningState()
                    + "' and holds no order", order.provisioningState(), conflict);
        }
        if (!order.owned()) {
            // a state word we do not know may hold an order: never say "nothing bought" on a guess
            throw new OutcomeUnknownException(what + ": Azure reported that the alias exists, in state '"
                    + order.provisioningState() + "', which Pledge does not know; it may hold an order. A person must"
                    + " look; a re-drive with the same token lets the guard decide", order.provisioningState(), conflict);
        }
        checkSameRequest(request, order, what);
        log.info("{}: recovered order {} ({})", what, order.commitmentId(), order.provisioningState());
        return PurchaseOutcome.recovered(order.commitmentId(), alias).confirmingIf(!order.succeeded());
    }

    private void checkSameRequest(CommitmentRequest request, AliasOrder order, String what) {
        String mismatch = mismatch(request, order);
        if (mismatch != null) {
            throw new KeyConflictException(what + " already holds order " + order.commitmentId() + " but " + mismatch
                    + "; nothing was bought, a person must look");
        }
    }

    @Override
    public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
        validate(request);
        List<JsonNode> items;
        try {
            items = connections.forAccount(request.account()).list(purchasesListPath());
        } catch (ManagementException | ArmTransportException e) {
            throw new GuardUndecidedException(type().slug() + ": could not list recent purchases ("
                    + ArmClient.rootMessage(e) + "); cannot tell whether this is a duplicate", e);
        }
        return items.stream().map(item -> existing(request, item)).filter(c -> c != null)
                .filter(c -> c.purchasedAt() != null && !c.purchasedAt().isBefore(since)).toList();
    }

    String aliasPath(String alias) {
        return aliasCollection() + alias + "?api-version=" + ArmClient.API_VERSION;
    }

    String aliasResourceId(String alias) {
        return aliasCollection() + alias;
    }

    static Instant instant(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The order part of a reservation or savings plan id ({@code .../reservationOrders/{id}}). */
    static String orderOf(String id, String childSegment) {
        int i = id.toLowerCase(java.util.Locale.ROOT).indexOf(childSegment.toLowerCase(java.util.Locale.ROOT));
        return i > 0 ? id.substring(0, i) : id;
    }
}
