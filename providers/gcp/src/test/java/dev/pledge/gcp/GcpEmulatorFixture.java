package dev.pledge.gcp;

import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
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

/** The contract kit's cloud side for gcp-compute, backed by the project emulator through its control API. */
final class GcpEmulatorFixture implements ContractFixture {
    static final String TYPE = "gcp-compute";
    private final EmulatorClient control;

    GcpEmulatorFixture(EmulatorClient control) {
        this.control = control;
    }

    @Override
    public void reset() {
        control.reset();
    }

    @Override
    public int purchaseRequests() {
        return control.requestCount(Cloud.GCP, TYPE, CallKind.PURCHASE);
    }

    @Override
    public int lookupRequests() {
        return control.requestCount(Cloud.GCP, TYPE, CallKind.LOOKUP);
    }

    @Override
    public int commitments() {
        return control.commitments(Cloud.GCP, TYPE).size();
    }

    /**
     * Places a commitment of the context's name, bought earlier under another requestId (so Compute
     * answers a repeat insert with 409 alreadyExists, not with the earlier operation), and hides it
     * from the next guard get.
     */
    @Override
    public void arrangeAlreadyExists(CommitmentRequest request, PurchaseContext context) {
        CommitmentSpec spec = CommitmentSpec.of(request);
        String name = ComputeCommitmentExecutor.name(context);
        Offering offering = control.offerings(Cloud.GCP, TYPE, spec.region()).stream()
                .filter(o -> o.product().equals(spec.commitmentType()) && o.term().equals(request.term().slug()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the emulator does not sell " + request));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("requestId", UUID.randomUUID().toString());
        attributes.put("plan", spec.plan());
        attributes.put("commitmentType", spec.commitmentType());
        attributes.put("category", "MACHINE");
        attributes.put("autoRenew", "false");
        attributes.put("vcpus", String.valueOf(spec.vcpus()));
        attributes.put("memoryMb", String.valueOf(spec.memoryMb()));
        control.addCommitment(new Commitment(Cloud.GCP, TYPE, spec.project(), spec.region(), "4242" + Math.abs(name.hashCode()),
                name, offering, 1, Map.of(), Instant.now(), "NOT_YET_ACTIVE", attributes));
        control.inject(FaultSpec.of(Cloud.GCP, TYPE, "RegionCommitments.get", FaultKind.STALE_READ, 1));
    }

    @Override
    public void failLookups() {
        control.inject(FaultSpec.error(Cloud.GCP, TYPE, "RegionCommitments.get", 10_000, 500, null));
    }

    @Override
    public void resetAfterCommitOnNextPurchase() {
        control.inject(FaultSpec.of(Cloud.GCP, TYPE, "RegionCommitments.insert", FaultKind.RESET_AFTER_COMMIT, 1));
    }

    /** Makes every insert of this type provision for an hour of emulator time: CREATING, its operation RUNNING. */
    void keepOperationsRunning() {
        for (Offering o : control.offerings(Cloud.GCP, TYPE, null)) {
            control.addOffering(new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                    o.payment(), o.description(), o.currency(), o.upfront(), o.hourly(),
                    Map.of("provisioningMs", "3600000")));
        }
    }
}
