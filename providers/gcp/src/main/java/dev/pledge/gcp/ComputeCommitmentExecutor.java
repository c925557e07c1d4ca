package dev.pledge.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.longrunning.OperationFuture;
import com.google.api.gax.longrunning.OperationSnapshot;
import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.compute.v1.Commitment;
import com.google.cloud.compute.v1.InsertRegionCommitmentRequest;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.RegionCommitmentsClient;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compute Engine committed-use discounts through {@code regionCommitments.insert}, with
 * {@code name} an RFC 1035 name and {@code requestId} the UUID of the item token, so Compute
 * itself drops a repeated insert (same requestId) and refuses a second commitment of our name
 * (409 alreadyExists, which gax surfaces as {@link AbortedException}). A commitment still
 * {@code CREATING} (found by the guard, recovered, or still running when polling stops) is a
 * confirming outcome that {@link #confirm} follows; an unfinished, young earlier attempt makes the
 * call wait ({@link AttemptInFlightException}) before anything is read or sent.
 */
final class ComputeCommitmentExecutor implements CommitmentExecutor {
    static final String NAME_PREFIX = "pledge-";
    private static final Logger log = LoggerFactory.getLogger(ComputeCommitmentExecutor.class);
    private static final Set<String> OWNED = Set.of("ACTIVE", "CREATING", "NOT_YET_ACTIVE", "");
    private static final String CREATING = "CREATING";
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(
            "projects/([^/]+)/regions/([^/]+)/commitments/([^/]+)");

    private final RegionCommitmentsClients clients;
    private final Duration hardStop;
    private final ProviderSettings settings;
    private final dev.pledge.common.spi.MissingCommitments missing = new dev.pledge.common.spi.MissingCommitments();

    ComputeCommitmentExecutor(RegionCommitmentsClients clients, ProviderSettings settings) {
        this.clients = clients;
        this.settings = settings;
        // the poll algorithm gives up at pollTimeout; this only guards against a hung future
        this.hardStop = settings.pollTimeout().plus(settings.callTimeout()).plusSeconds(1);
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.GCP_COMPUTE;
    }

    @Override
    public DedupeStrength dedupeStrength() {
        return DedupeStrength.SERVER_KEY;
    }

    @Override
    public void validate(CommitmentRequest request) {
        CommitmentSpec.of(request);
    }

    @Override
    public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
        // ordered, so a dry run prints the same lines in the same order every time
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("name", name(context));
        keys.put("requestId", KeyDerivation.uuid(context.keySource()).toString());
        return keys;
    }

    static String name(PurchaseContext context) {
        return KeyDerivation.rfc1035Name(context.keySource(), NAME_PREFIX);
    }

    static String commitmentId(String project, String region, String name) {
        return "projects/" + project + "/regions/" + region + "/commitments/" + name;
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        CommitmentSpec spec = CommitmentSpec.of(request);
        String name = name(context);
        String what = "gcp-compute commitment " + name + " in " + spec.project() + "/" + spec.region();
        RegionCommitmentsClient client = client(spec.project(), what);
        String id = commitmentId(spec.project(), spec.region(), name);

        if (context.idempotent()) {
            AttemptInFlightException.refuseIfInFlight(context, settings.clock().instant(), settings.inFlightBound());
            Optional<Commitment> existing;
            try {
                existing = find(client, spec, name);
            } catch (ApiException | UncheckedIOException e) {
                throw new GuardUndecidedException(what + ": the guard could not read the commitment ("
                        + ComputeFailures.rootMessage(e) + "); nothing was bought, retry later", ComputeFailures.code(e), e);
            }
            if (existing.isPresent()) {
                checkOwned(spec, existing.get(), what);
                log.info("{}: already owned ({}); nothing bought", what, existing.get().getStatus());
                return PurchaseOutcome.alreadyOwned(id, name).confirmingIf(CREATING.equals(existing.get().getStatus()));
            }
            log.debug("{}: guard found no commitment; buying", what);
        }

        InsertRegionCommitmentRequest insert = InsertRegionCommitmentRequest.newBuilder()
                .setProject(spec.project())
                .setRegion(spec.region())
                .setRequestId(KeyDerivation.uuid(context.keySource()).toString())
                .setCommitmentResource(spec.toCommitment(name, context.executionId()))
                .build();
        log.debug("{}: inserting {} {} ({})", what, spec.plan(), spec.commitmentType(),
                context.idempotent() ? "guarded" : "one-off, no guard");
        context.beforePurchaseCall();
        OperationFuture<Operation, Operation> future = client.insertAsync(insert);
        try {
            future.getInitialFuture().get(hardStop.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return insertFailed(client, spec, name, id, what, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new OutcomeUnknownException(what + ": no answer to the insert; it may have been bought, re-drive with "
                    + "the same token to let the guard decide", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknownException(what + ": interrupted during the insert; re-drive with the same token", e);
        }
        Operation done;
        try {
            done = future.get(hardStop.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                return unfinished(client, spec, name, id, what, pollTimedOut(what, e.getCause()));
            }
            if (!operationEndedWithError(future, e.getCause())) {
                // the insert was accepted and then a poll failed (403 on operations.get, 404, 5xx):
                // nothing says the purchase failed
                return unfinished(client, spec, name, id, what, new OutcomeUnknownException(what + ": the insert was"
                        + " accepted but polling its operation failed (" + ComputeFailures.rootMessage(e.getCause())
                        + "); it may have been bought, re-drive with the same token to let the guard decide",
                        ComputeFailures.code(e.getCause()), e.getCause()));
            }
            return insertFailed(client, spec, name, id, what, e.getCause());
        } catch (CancellationException | TimeoutException e) {
            future.cancel(true);
            return unfinished(client, spec, name, id, what, pollTimedOut(what, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknownException(what + ": interrupted while polling the insert; re-drive with the same token", e);
        }
        if (done.hasError() && done.getError().getErrorsCount() > 0) {
            String code = done.getError().getErrors(0).getCode();
            if (code.equals("RESOURCE_ALREADY_EXISTS") || code.equalsIgnoreCase("alreadyExists")) {
                return recover(client, spec, name, id, what, null);
            }
            throw new PurchaseRejectedException(what + ": the insert operation ended with " + code + ": "
                    + done.getError().getErrors(0).getMessage(), code, null);
        }
        log.info("{}: bought (operation {})", what, done.getName());
        return PurchaseOutcome.bought(id, name);
    }

    /**
     * True when the operation itself ended with an error (Compute's verdict), false when a poll failed.
     * gax raises an operation's error without a cause ("Operation with name ... failed with status"),
     * a failed poll with the HTTP exception as cause; the last completed poll being DONE also tells.
     */
    private static boolean operationEndedWithError(OperationFuture<Operation, Operation> future, Throwable failure) {
        if (failure instanceof ApiException && failure.getCause() == null) {
            return true;
        }
        try {
            ApiFuture<OperationSnapshot> last = future.getPollingFuture().peekAttemptResult();
            OperationSnapshot snapshot = last == null ? null : last.get(1, TimeUnit.SECONDS);
            return snapshot != null && snapshot.isDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    private PurchaseOutcome insertFailed(RegionCommitmentsClient client, CommitmentSpec spec, String name, String id,
                                         String what, Throwable cause) {
        if (cause instanceof AbortedException) {
            log.info("{}: Compute answered 409 alreadyExists for our name; confirming", what);
            return recover(client, spec, name, id, what, cause);
        }
        if (cause instanceof CancellationException) {
            throw pollTimedOut(what, cause);
        }
        throw ComputeFailures.onPurchase(what, cause);
    }

    /**
     * The insert was accepted but its operation was not seen to finish. Compute holds the commitment
     * from the moment it accepted the insert, so its status decides: CREATING is a confirming purchase,
     * ACTIVE or NOT_YET_ACTIVE a purchase, CANCELLED or EXPIRED nothing bought; absent or unreadable
     * stays the unknown outcome.
     */
    private PurchaseOutcome unfinished(RegionCommitmentsClient client, CommitmentSpec spec, String name, String id,
                                       String what, OutcomeUnknownException unknown) {
        if (Thread.currentThread().isInterrupted()) {
            throw unknown;
        }
        Optional<Commitment> found;
        try {
            found = find(client, spec, name);
        } catch (ApiException | UncheckedIOException e) {
            unknown.addSuppressed(e);
            throw unknown;
        }
        if (found.isEmpty()) {
            throw unknown;
        }
        checkOwned(spec, found.get(), what);
        log.info("{}: bought ({} when polling stopped)", what, found.get().getStatus());
        return PurchaseOutcome.bought(id, name).confirmingIf(CREATING.equals(found.get().getStatus()));
    }

    /**
     * Reads a commitment this executor returned as confirming ({@code projects/{p}/regions/{r}/commitments/{name}}):
     * ACTIVE or NOT_YET_ACTIVE is active; CANCELLED, EXPIRED before its end, or gone is failed, with
     * Compute's words; CREATING is still pending.
     */
    @Override
    public Confirmation confirm(CommitmentRequest request, String commitmentId) {
        java.util.regex.Matcher m = commitmentId == null ? null : ID.matcher(commitmentId);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("commitmentId must be projects/{project}/regions/{region}/commitments/"
                    + "{name}, was '" + commitmentId + "'");
        }
        String what = "gcp-compute commitment " + commitmentId;
        Commitment c;
        try {
            c = clients.forProject(m.group(1)).get(m.group(1), m.group(2), m.group(3));
        } catch (NotFoundException e) {
            return missing.stillYoung(commitmentId, settings.clock().instant(), settings.pollTimeout(), what)
                    .orElseGet(() -> Confirmation.failed(what + ": Compute knows no such commitment (404 notFound)"
                            + " for longer than " + settings.pollTimeout() + "; nothing is held"));
        } catch (ApiException | UncheckedIOException e) {
            throw new GuardUndecidedException(what + ": could not read its status (" + ComputeFailures.rootMessage(e)
                    + "); asked again later", ComputeFailures.code(e), e);
        }
        missing.found(commitmentId);
        String status = c.getStatus();
        String words = status + (c.getStatusMessage().isEmpty() ? "" : " (" + c.getStatusMessage() + ")");
        switch (status) {
            case "ACTIVE", "NOT_YET_ACTIVE":
                return Confirmation.active(what + " is " + words);
            case CREATING:
                return Confirmation.pending(what + " is " + words);
            case "CANCELLED":
                return Confirmation.failed(what + " is " + words + "; nothing is held");
            case "EXPIRED": {
                Instant end = instant(c.getEndTimestamp());
                if (end != null && !end.isAfter(settings.clock().instant())) {
                    return Confirmation.active(what + " ran its full term and is " + words);
                }
                return Confirmation.failed(what + " is " + words + " before its end; nothing is held");
            }
            default:
                return Confirmation.pending(what + " is in status '" + status + "', which Pledge does not know; asked"
                        + " again later, a person may need to look");
        }
    }

    private static OutcomeUnknownException pollTimedOut(String what, Throwable cause) {
        return new OutcomeUnknownException(what + ": the insert was accepted but its operation had not finished when "
                + "polling timed out; it may still complete, re-drive with the same token to let the guard decide", cause);
    }

    private PurchaseOutcome recover(RegionCommitmentsClient client, CommitmentSpec spec, String name, String id,
                                    String what, Throwable conflict) {
        Optional<Commitment> existing;
        try {
            existing = find(client, spec, name);
        } catch (ApiException | UncheckedIOException e) {
            throw new OutcomeUnknownException(what + ": Compute says the name exists but reading it back failed ("
                    + ComputeFailures.rootMessage(e) + "); re-drive with the same token to let the guard decide", e);
        }
        if (existing.isEmpty()) {
            // Compute itself just said the name exists: a read that misses it is lagging, not proof that
            // nothing was bought. Calling it a rejection would record "nothing bought" while Compute holds it.
            throw new OutcomeUnknownException(what + ": Compute reported that the name exists (409 alreadyExists) but"
                    + " reading it back found nothing; it may have been bought. Re-drive with the same token: the guard"
                    + " decides", "ABORTED", conflict);
        }
        checkOwned(spec, existing.get(), what);
        log.info("{}: recovered ({})", what, existing.get().getStatus());
        return PurchaseOutcome.recovered(id, name).confirmingIf(CREATING.equals(existing.get().getStatus()));
    }

    private static Optional<Commitment> find(RegionCommitmentsClient client, CommitmentSpec spec, String name) {
        try {
            return Optional.of(client.get(spec.project(), spec.region(), name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static void checkOwned(CommitmentSpec spec, Commitment existing, String what) {
        if (!OWNED.contains(existing.getStatus())) {
            throw new PurchaseRejectedException(what + ": a commitment of our name exists in state "
                    + existing.getStatus() + "; the name cannot be reused, a person must look", existing.getStatus(), null);
        }
        String mismatch = spec.mismatch(existing);
        if (mismatch != null) {
            throw new KeyConflictException(what + " already exists but " + mismatch
                    + "; nothing was bought, a person must look");
        }
    }

    private RegionCommitmentsClient client(String project, String what) {
        try {
            return clients.forProject(project);
        } catch (UncheckedIOException e) {
            // the cause may name files on the server: the service log has it, the item error does not
            log.warn("{}: the credentials of project {} could not be loaded", what, project, e.getCause());
            throw new PurchaseRejectedException(what + ": the project's credentials could not be loaded (the "
                    + "service log has the reason); nothing was sent", e);
        }
    }

    @Override
    public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
        CommitmentSpec spec = CommitmentSpec.of(request);
        List<ExistingCommitment> found = new ArrayList<>();
        try {
            for (Commitment c : clients.forProject(spec.project()).list(spec.project(), spec.region()).iterateAll()) {
                Instant created = instant(c.getCreationTimestamp());
                if (c.getType().equals(spec.commitmentType()) && created != null && !created.isBefore(since)) {
                    found.add(new ExistingCommitment(commitmentId(spec.project(), spec.region(), c.getName()),
                            c.getName(), c.getType(), 1, created, c.getStatus()));
                }
            }
        } catch (ApiException | UncheckedIOException e) {
            throw new GuardUndecidedException("gcp-compute: could not list commitments of " + spec.project() + "/"
                    + spec.region() + " (" + ComputeFailures.rootMessage(e) + "); cannot tell whether this is a duplicate",
                    ComputeFailures.code(e), e);
        }
        return found;
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

    @Override
    public void forgetAccount(String account) {
        clients.forget(account);
    }

    @Override
    public void close() {
        clients.close();
    }
}
