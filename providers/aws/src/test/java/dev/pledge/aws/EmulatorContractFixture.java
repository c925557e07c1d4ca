package dev.pledge.aws;

import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The contract kit's cloud side for one AWS type, backed by the shared emulator's control API. */
final class EmulatorContractFixture implements ContractFixture {
    private final EmulatorClient control = SharedEmulator.emulator().client();
    private final CommitmentExecutor executor;
    private final String type;
    private final String purchaseOperation;
    private final List<String> lookupOperations;
    private final String keyName;

    /**
     * @param keyName the entry of {@code derivedKeys} the cloud dedupes on (null for lookup-guard types)
     */
    EmulatorContractFixture(CommitmentExecutor executor, String purchaseOperation, List<String> lookupOperations,
                            String keyName) {
        this.executor = executor;
        this.type = executor.type().slug();
        this.purchaseOperation = purchaseOperation;
        this.lookupOperations = lookupOperations;
        this.keyName = keyName;
    }

    @Override
    public void reset() {
        control.reset();
    }

    @Override
    public int purchaseRequests() {
        return control.requestCount(Cloud.AWS, type, CallKind.PURCHASE);
    }

    @Override
    public int lookupRequests() {
        return control.requestCount(Cloud.AWS, type, CallKind.LOOKUP);
    }

    @Override
    public int commitments() {
        return control.commitments(Cloud.AWS, type).size();
    }

    /** Places the item's commitment an hour ago, and makes the next guard lookup miss it (a lagging describe). */
    @Override
    public void arrangeAlreadyExists(CommitmentRequest request, PurchaseContext context) {
        String key = executor.derivedKeys(request, context).get(keyName);
        Offering offering = offeringFor(request);
        boolean idIsKey = !type.equals("aws-opensearch") && !type.equals("aws-savings-plan");
        Map<String, String> attributes = type.equals("aws-savings-plan")
                ? Map.of("commitment", request.attribute("hourlyCommitment")) : Map.of();
        control.addCommitment(new Commitment(Cloud.AWS, type, request.account(), offering.region(),
                idIsKey ? key : UUID.randomUUID().toString(), key, offering, request.quantity(),
                AwsExecutor.tags(context), Instant.now().minus(Duration.ofHours(1)), "active", attributes));
        for (String op : lookupOperations) {
            control.inject(FaultSpec.of(Cloud.AWS, type, op, FaultKind.STALE_READ, 1));
        }
    }

    Offering offeringFor(CommitmentRequest request) {
        return control.offerings().stream()
                .filter(o -> o.type().equals(type) && o.product().equals(request.offering())
                        && o.term().equals(request.term().slug()) && o.payment().equals(request.payment().slug())
                        && (o.region().equals(request.region()) || o.region().equals("global")))
                .findFirst().orElseThrow(() -> new AssertionError("no seeded offering for " + request));
    }

    @Override
    public void failLookups() {
        for (String op : lookupOperations) {
            control.inject(FaultSpec.error(Cloud.AWS, type, op, 1000, 500, null));
        }
    }

    @Override
    public void resetAfterCommitOnNextPurchase() {
        control.inject(FaultSpec.of(Cloud.AWS, type, purchaseOperation, FaultKind.RESET_AFTER_COMMIT, 1));
    }
}
