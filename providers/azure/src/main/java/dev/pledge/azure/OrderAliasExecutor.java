package dev.pledge.azure;

import com.azure.core.management.exception.ManagementException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.common.idempotency.KeyCharset;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.CommitmentExecutor;
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
 *   <li>guard: GET the alias; succeeded or in progress means already owned;</li>
 *   <li>PUT once; 201/202 is followed to the end (an unfinished order after the poll timeout is an unknown outcome);</li>
 *   <li>a 409, or a 200 answering with an existing order: GET, confirm it is this request, {@code RECOVERED}.</li>
 * </ol>
 */
abstract class OrderAliasExecutor implements CommitmentExecutor {
    static final String ALIAS_PREFIX = "pledge-";
    /** Conservative: ARM names allow more, but the alias length limit of these APIs is not documented. */
    static final int ALIAS_MAX_LENGTH = 50;

    protected final Logger log = LoggerFactory.getLogger(getClass());
    private final ArmConnections connections;
    private final ArmOperationPoller poller;

    OrderAliasExecutor(ArmConnections connections, ProviderSettings settings) {
        this.connections = connections;
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
            Optional<AliasOrder> existing = guard(arm, path, alias, what);
            if (existing.isPresent()) {
                confirm(request, existing.get(), what);
                log.info("{}: already owned (order {}, {}); nothing bought", what, existing.get().commitmentId(),
                        existing.get().provisioningState());
                return PurchaseOutcome.alreadyOwned(existing.get().commitmentId(), alias);
            }
        }

        ArmClient.ArmResponse accepted;
        try {
            log.debug("{}: PUT {} for {} x {} ({})", what, path, request.quantity(), request.offering(),
                    context.idempotent() ? "guarded" : "one-off, no guard");
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
        JsonNode result = poller.awaitResult(arm, accepted, path, what);
        AliasOrder order = AliasOrder.parse(result, orderIdField(), aliasResourceId(alias));
        if (order.orderId().isBlank()) {
            order = readBack(arm, path, alias, what).orElse(order);
        }
        log.info("{}: bought order {} ({})", what, order.commitmentId(), order.provisioningState());
        return PurchaseOutcome.bought(order.commitmentId(), alias);
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
        if (!order.owned()) {
            throw new PurchaseRejectedException(what + ": the existing alias is in state '" + order.provisioningState()
                    + "' and holds no order", order.provisioningState(), conflict);
        }
        confirm(request, order, what);
        log.info("{}: recovered order {} ({})", what, order.commitmentId(), order.provisioningState());
        return PurchaseOutcome.recovered(order.commitmentId(), alias);
    }

    private void confirm(CommitmentRequest request, AliasOrder order, String what) {
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
