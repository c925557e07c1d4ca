package dev.pledge.azure;

import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The contract kit's cloud side for one Azure alias type, backed by the project emulator through its
 * control API. With {@code conflictOnDuplicate} every offering of the type gets the emulator's
 * switch that makes a second PUT of an alias answer 409 instead of 200.
 */
final class AzureEmulatorFixture implements ContractFixture {
    private final EmulatorClient control;
    private final CommitmentType type;
    private final String operationPrefix;
    private final CommitmentExecutor executor;
    private final boolean conflictOnDuplicate;

    AzureEmulatorFixture(EmulatorClient control, CommitmentType type, CommitmentExecutor executor,
                         boolean conflictOnDuplicate) {
        this.control = control;
        this.type = type;
        this.operationPrefix = type == CommitmentType.AZURE_RESERVATION ? "ReservationOrderAlias" : "SavingsPlanOrderAlias";
        this.executor = executor;
        this.conflictOnDuplicate = conflictOnDuplicate;
    }

    @Override
    public void reset() {
        control.reset();
        if (conflictOnDuplicate) {
            for (Offering o : control.offerings(Cloud.AZURE, type.slug(), null)) {
                Map<String, String> attributes = new LinkedHashMap<>(o.attributes());
                attributes.put("duplicateAlias", "conflict");
                control.addOffering(new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                        o.payment(), o.description(), o.currency(), o.upfront(), o.hourly(), attributes));
            }
        }
    }

    @Override
    public int purchaseRequests() {
        return control.requestCount(Cloud.AZURE, type.slug(), CallKind.PURCHASE);
    }

    @Override
    public int lookupRequests() {
        return control.requestCount(Cloud.AZURE, type.slug(), CallKind.LOOKUP);
    }

    @Override
    public int commitments() {
        return control.commitments(Cloud.AZURE, type.slug()).size();
    }

    /** Places a succeeded order under the context's alias and hides it from the next guard GET. */
    @Override
    public void arrangeAlreadyExists(CommitmentRequest request, PurchaseContext context) {
        control.addCommitment(existingOrder(request, executor.derivedKeys(request, context).get("alias")));
        hideNextLookup();
    }

    void hideNextLookup() {
        control.inject(FaultSpec.of(Cloud.AZURE, type.slug(), operationPrefix + "_Get", FaultKind.STALE_READ, 1));
    }

    @Override
    public void failLookups() {
        control.inject(FaultSpec.error(Cloud.AZURE, type.slug(), operationPrefix + "_Get", 10_000, 500,
                "InternalServerError"));
    }

    @Override
    public void resetAfterCommitOnNextPurchase() {
        control.inject(FaultSpec.of(Cloud.AZURE, type.slug(), operationPrefix + "_Create", FaultKind.RESET_AFTER_COMMIT, 1));
    }

    private Commitment existingOrder(CommitmentRequest request, String alias) {
        String payment = request.payment().slug();
        boolean reservation = type == CommitmentType.AZURE_RESERVATION;
        String region = reservation ? request.region() : "global";
        Offering offering = control.offerings(Cloud.AZURE, type.slug(), region).stream()
                .filter(o -> o.product().equalsIgnoreCase(request.offering()) && o.term().equals(request.term().slug())
                        && payment.equals(o.payment()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the emulator does not sell " + request));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("displayName", alias);
        attributes.put("term", request.term().iso());
        if (request.payment() == PaymentOption.MONTHLY) {
            attributes.put("billingPlan", "P1M");
        }
        attributes.put("appliedScopeType", "Shared");
        attributes.put("renew", "false");
        String id;
        if (reservation) {
            attributes.put("reservedResourceType", "VirtualMachines");
            id = "/providers/Microsoft.Capacity/reservationOrders/" + UUID.randomUUID();
        } else {
            attributes.put("amount", request.attribute("hourlyCommitment"));
            attributes.put("currencyCode", "USD");
            id = "/providers/Microsoft.BillingBenefits/savingsPlanOrders/" + UUID.randomUUID();
        }
        return new Commitment(Cloud.AZURE, type.slug(), AliasAttributes.billingScopeId(request), region, id, alias,
                offering, request.quantity(), Map.of(), Instant.now(), "Succeeded", attributes);
    }
}
