package dev.pledge.app.cli;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.idempotency.ItemToken;
import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExecutorProvider;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseGate;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.TransientFailureException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code pledge buy}: one commitment, bought directly through its executor. No database and no
 * Spring context, so it starts in well under a second. Dry run unless {@code --yes} (or a "yes"
 * typed at the terminal).
 */
@Command(name = "buy",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Buy one commitment directly from the cloud (no server, no database).",
        descriptionHeading = "%n",
        description = {
                "Without --yes this is a dry run: it prints what would be bought, the IDs/names Pledge would send "
                        + "and the price when the offering lookup knows it, and buys nothing. On a terminal it then "
                        + "asks whether to buy.",
                "",
                "With --token the purchase is idempotent: every ID sent to the cloud derives from the token, the "
                        + "executor looks the commitment up before buying and recovers from \"already exists\", so "
                        + "running the same command twice buys once. Use any unique string, e.g. a change ticket.",
                "",
                "A run with --token keeps a journal of its attempts (one file per type, account and token, named "
                        + "by a hash of them, in --journal-dir): it records each attempt before the "
                        + "purchase is sent and its outcome after, so a re-run knows what an earlier run may have "
                        + "bought (EC2 and Redshift take no key of ours: without the journal a re-run could not "
                        + "recognise an untagged reservation). Runs with the same token take turns: a second one "
                        + "waits for the first and then reads its record. Keep the journal for as long as the "
                        + "token may be re-run, and use the same one (--journal-dir) for every run of a token.",
                "",
                "Without --token it runs in the documented one-off, non-idempotent mode: IDs are new on every run, "
                        + "so running it twice buys twice. To protect against that, it first looks for an identical "
                        + "purchase (same type, account, region and offering) in the last 24 hours and refuses if "
                        + "it finds one, or if it cannot look, unless --allow-duplicate is given.",
                "",
                "Type-specific attributes: --attribute key=value (repeatable). The executor",
                "refuses unknown keys and names a missing one before anything is sent.",
                "  aws-ec2             productDescription (default Linux/UNIX),",
                "                      offeringClass standard|convertible",
                "  aws-rds             productDescription, multiAz true|false",
                "  aws-elasticache     productDescription",
                "  aws-savings-plan    --offering Compute|EC2Instance|SageMaker, --count 1,",
                "                      --hourly-commitment (required), instanceFamily",
                "                      (EC2Instance), upfrontPaymentAmount (partial-upfront)",
                "  azure-reservation   reservedResourceType (default VirtualMachines),",
                "                      instanceFlexibility On|Off, appliedScopeType",
                "                      Shared|Single|ManagementGroup (+ appliedScope* ids),",
                "                      displayName, renew",
                "  azure-savings-plan  --offering Compute_Savings_Plan, --region global,",
                "                      --count 1, --hourly-commitment (required), currency",
                "                      (default USD), appliedScopeType..., displayName, renew",
                "  gcp-compute         --offering GENERAL_PURPOSE_N2 (etc.), --count 1, --vcpus",
                "                      and --memory-mb (required), localSsdGb, acceleratorType",
                "                      with acceleratorCount, autoRenew, description",
                "  aws-memorydb, aws-opensearch, aws-redshift: none",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pledge buy --type aws-rds --account 111122223333 --region us-east-1 \\",
                "      --offering db.r6g.large --term 1y --payment no-upfront --count 2",
                "  pledge buy ... --token CHG-1042 --yes    # a re-run buys nothing more",
                "  pledge buy ... --endpoint http://127.0.0.1:4566    # the emulator"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCode.HELP_OK, ExitCode.HELP_INTERNAL, ExitCode.HELP_USAGE, ExitCode.HELP_REFUSED,
                ExitCode.HELP_UNKNOWN})
final class BuyCommand implements Callable<Integer> {
    static final String ENDPOINT_VARIABLE = "PLEDGE_CLOUD_ENDPOINT";
    static final Duration DUPLICATE_WINDOW = Duration.ofHours(24);

    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--type", required = true, paramLabel = "<type>", order = 1,
            description = "What to buy, one of: ${COMPLETION-CANDIDATES}.", completionCandidates = TypeSlugs.class)
    String type;

    @Option(names = "--account", required = true, paramLabel = "<account>", order = 2,
            description = "AWS account id, Azure billing scope or subscription, or GCP project.")
    String account;

    @Option(names = "--region", required = true, paramLabel = "<region>", order = 3,
            description = "AWS region, Azure location or GCP region, e.g. us-east-1, westeurope, europe-west1.")
    String region;

    @Option(names = "--offering", required = true, paramLabel = "<offering>", order = 4,
            description = "Offering id, instance/node type or SKU as the cloud names it, e.g. m5.large, "
                    + "db.r6g.large, Standard_D2s_v3, GENERAL_PURPOSE_N2.")
    String offering;

    @Option(names = "--count", paramLabel = "<n>", defaultValue = "1", order = 5,
            description = "How many instances/nodes (1-10000). Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--term", required = true, paramLabel = "<term>", order = 6,
            description = "Commitment length: 1y or 3y (azure-savings-plan also 5y).")
    String term;

    @Option(names = "--payment", paramLabel = "<payment>", order = 7,
            description = "AWS: no-upfront, partial-upfront, all-upfront. Azure: upfront, monthly. "
                    + "GCP: leave out.")
    String payment;

    @Option(names = {"-a", "--attribute"}, paramLabel = "<key=value>", order = 8,
            description = "A type-specific attribute (repeatable); see the list above.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--hourly-commitment", paramLabel = "<amount>", order = 8,
            description = "Savings plans: the amount committed per hour, e.g. 2.5 (attribute hourlyCommitment).")
    String hourlyCommitment;

    @Option(names = "--vcpus", paramLabel = "<n>", order = 8,
            description = "gcp-compute: vCPUs committed (attribute vcpus).")
    String vcpus;

    @Option(names = "--memory-mb", paramLabel = "<n>", order = 8,
            description = "gcp-compute: memory committed, in MB (attribute memoryMb).")
    String memoryMb;

    @Option(names = "--endpoint", paramLabel = "<url>", order = 9,
            description = "Send every cloud call to the Pledge emulator at this URL instead of the real cloud. "
                    + "Default: $" + ENDPOINT_VARIABLE + "; unset means the real cloud with its default "
                    + "credential chain.")
    String endpoint;

    @Option(names = "--token", paramLabel = "<token>", order = 10,
            description = "Idempotency token (1-256 printable characters, no spaces). The same token never buys "
                    + "twice. Without it: one-off mode, see above.")
    String token;

    @Option(names = "--journal-dir", paramLabel = "<dir>", order = 10,
            description = "With --token: where the journal of attempts is kept (created 0700, files 0600). "
                    + "Default: $" + TokenJournal.DIRECTORY_VARIABLE + ", else ~/.pledge/cli-journal.")
    Path journalDir;

    @Option(names = {"-y", "--yes"}, order = 11, description = "Buy, without asking.")
    boolean yes;

    @Option(names = "--dry-run", order = 12,
            description = "Only show what would be bought (the default without --yes when not on a terminal).")
    boolean dryRun;

    @Option(names = "--allow-duplicate", order = 13,
            description = "Without --token: buy even if an identical purchase was made in the last 24 hours, or "
                    + "if that check cannot be made.")
    boolean allowDuplicate;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "text", order = 14,
            description = "text or json. Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        CliEnvironment env = root.environment();
        if (yes && dryRun) {
            throw usage("--dry-run and --yes contradict each other; give one of them");
        }
        URI cloud = endpoint(env);
        CommitmentRequest request = request();
        PurchaseContext context = context(env);

        BuyReport report = new BuyReport(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
        ProviderSettings settings = (cloud == null ? ProviderSettings.defaults() : ProviderSettings.emulator(cloud))
                .withClock(env.clock());
        try (ExecutorRegistry registry = executorsFor(request.type().cloud(), settings)) {
            CommitmentExecutor executor = registry.executor(request.type());
            try {
                executor.validate(request);
            } catch (ValidationException e) {
                throw usage(e);
            }
            Path journal = context.idempotent() ? journalDirectory(env) : null;
            report.plan(request, context, token, cloud, executor.derivedKeys(request, context), quote(executor, request),
                    journal == null ? null : journal.resolve(TokenJournal.fileName(request, token)));

            Integer notBuying = decideToBuy(env, report);
            if (notBuying != null) {
                return notBuying;
            }
            if (!context.idempotent()) {
                Integer refused = checkRecentPurchases(executor, request, env, report);
                if (refused != null) {
                    return refused;
                }
            }
            if (context.idempotent()) {
                return purchaseRecorded(executor, request, context.keySource(), journal, settings, env, cloud,
                        report);
            }
            return report(purchase(executor, request, context), executor, request, context, cloud, report);
        }
    }

    /**
     * The executors of one cloud, found like {@link ExecutorRegistry#load} does (ServiceLoader) but
     * without creating the other clouds' clients, which would cost start time for nothing.
     */
    static ExecutorRegistry executorsFor(Cloud cloud, ProviderSettings settings) {
        List<CommitmentExecutor> executors = new ArrayList<>();
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class)) {
            if (provider.cloud() == cloud) {
                executors.addAll(provider.create(settings));
            }
        }
        return new ExecutorRegistry(executors);
    }

    /** Null to buy; else the exit code of a dry run or of an unconfirmed purchase, both reported. */
    private Integer decideToBuy(CliEnvironment env, BuyReport report) {
        if (yes) {
            return null;
        }
        Optional<CliEnvironment.Terminal> terminal = env.terminal();
        if (dryRun || terminal.isEmpty() || output == OutputFormat.json) {
            return report.dryRun();
        }
        String answer = terminal.get().ask("Buy this commitment? This spends real money. [y/N] ");
        if (answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
            return null;
        }
        return report.refused("not confirmed", "Not confirmed: nothing bought.");
    }

    private Integer checkRecentPurchases(CommitmentExecutor executor, CommitmentRequest request, CliEnvironment env,
                                         BuyReport report) {
        Instant since = env.clock().instant().minus(DUPLICATE_WINDOW);
        List<ExistingCommitment> recent;
        try {
            recent = executor.recentPurchases(request, since);
        } catch (RuntimeException e) {
            if (allowDuplicate) {
                report.note("Could not check for an identical purchase in the last 24 hours (" + e.getMessage()
                        + "); buying anyway because of --allow-duplicate.");
                return null;
            }
            return report.refused("duplicate check failed",
                    "Refused: could not check for an identical purchase in the last 24 hours, so nothing was "
                            + "bought (" + e.getMessage() + ").\n"
                            + "Retry later, or re-run with --allow-duplicate to buy without the check, or use "
                            + "--token <t> so that a re-run can never buy twice.");
        }
        if (recent.isEmpty()) {
            return null;
        }
        StringBuilder list = new StringBuilder();
        for (ExistingCommitment c : recent) {
            list.append("\n  ").append(c.commitmentId()).append("  ").append(c.quantity()).append(" x ")
                    .append(c.offering()).append("  ").append(c.state()).append("  bought ").append(c.purchasedAt());
        }
        report.recentPurchases(recent);
        if (allowDuplicate) {
            report.note("An identical purchase was made in the last 24 hours; buying another because of "
                    + "--allow-duplicate:" + list);
            return null;
        }
        return report.refused("duplicate",
                "Refused: an identical purchase (same type, account, region and offering) was made in the last "
                        + "24 hours; nothing was bought:" + list + "\n"
                        + "If you really want another one, re-run with --allow-duplicate, or with a new --token <t> (a token"
                        + " makes a deliberate repeat explicit: re-running with the same token never buys twice).");
    }

    /**
     * The token path: under the token's journal lock, records the attempt before the executor runs and its
     * outcome after, and hands the executor every earlier attempt. When the journal already records a held
     * commitment, the executor runs with a gate that refuses any purchase: its guard only confirms it.
     */
    private int purchaseRecorded(CommitmentExecutor executor, CommitmentRequest request, ItemToken item, Path dir,
                                 ProviderSettings settings, CliEnvironment env, URI cloud, BuyReport report) {
        TokenJournal journal;
        try {
            journal = TokenJournal.open(dir, request, token, env.clock().instant(), report::waitingForAnotherRun);
        } catch (IOException | RuntimeException e) {
            String why = e.getClass() == IOException.class ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return report.refused("journal unavailable", "Refused: the journal of this token could not be used in "
                    + dir + " (" + why + "), so nothing was bought.\nFix that, or give --journal-dir (or $"
                    + TokenJournal.DIRECTORY_VARIABLE + ") a directory you can write, and use it for every run with "
                    + "this token.");
        }
        try {
            return purchaseRecorded(journal, executor, request, item, settings, env, cloud, report);
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                report.note("Warning: the journal " + journal.file() + " could not be closed cleanly ("
                        + e.getMessage() + "); its records are on disk.");
            }
        }
    }

    private int purchaseRecorded(TokenJournal journal, CommitmentExecutor executor, CommitmentRequest request,
                                 ItemToken item, ProviderSettings settings, CliEnvironment env, URI cloud,
                                 BuyReport report) {
        Optional<String> other = journal.otherPurchase(request);
        if (other.isPresent()) {
            return report.refused("token used for another purchase", "Refused: --token " + Masking.mask(token)
                    + " was already used for another purchase (" + other.get() + "); nothing was bought.\n"
                    + "A token names one purchase: use a new token for a different one.");
        }
        PurchaseContext context = PurchaseContext.withAttempts(item, null, journal.attempts());
        try {
            // an unfinished attempt of a run that died may still buy: the executors refuse too, but checking
            // here first keeps this run from recording an attempt of its own behind it
            AttemptInFlightException.refuseIfInFlight(context, env.clock().instant(), settings.inFlightBound());
        } catch (AttemptInFlightException e) {
            return report.attemptInFlight(e.retryAfter());
        }
        Optional<TokenJournal.Recorded> owned = journal.owned();
        Instant start = env.clock().instant();
        int attempt;
        try {
            attempt = journal.recordStart(start);
        } catch (IOException e) {
            return report.refused("journal unavailable", "Refused: the attempt could not be recorded in "
                    + journal.file() + " (" + e.getMessage() + "), so nothing was sent and nothing bought.");
        }
        PurchaseGate held = journal.gate(start, settings.guardBudget(), env.clock());
        AtomicBoolean wouldBuy = new AtomicBoolean();
        PurchaseGate gate = owned.isEmpty() ? held : () -> {
            held.check();
            wouldBuy.set(true);
            throw new GuardUndecidedException("the journal records " + owned.get().commitmentId()
                    + " as bought by an earlier run with this token, but the guard did not find it; nothing "
                    + "was sent");
        };
        context = context.withGate(gate);
        Called called = purchase(executor, request, context);
        Instant end = env.clock().instant(); // after the call returned: the attempt's window ends here
        try {
            journal.recordOutcome(attempt, end, called.journalOutcome());
        } catch (IOException e) {
            report.note("Warning: the outcome could not be recorded in " + journal.file() + " (" + e.getMessage()
                    + "). A re-run with this token treats this attempt as unfinished: it waits until "
                    + start.plus(settings.inFlightBound()) + " and then settles it.");
        }
        if (owned.isPresent()) {
            return confirmed(owned.get(), called, wouldBuy.get(), executor, request, context, cloud, report);
        }
        return report(called, executor, request, context, cloud, report);
    }

    /** Ends a run that found a held commitment in the journal: the executor's guard had to find the same one. */
    private int confirmed(TokenJournal.Recorded recorded, Called called, boolean wouldBuy,
                          CommitmentExecutor executor, CommitmentRequest request, PurchaseContext context, URI cloud,
                          BuyReport report) {
        if (called.outcome() == null) {
            if (wouldBuy) {
                return report.refused("recorded commitment not found", "Refused: the journal records that an earlier "
                        + "run with this token bought " + recorded.commitmentId() + " (" + recorded.at() + "), but "
                        + "the cloud's lookup does not find it now, so nothing was bought.\n"
                        + "Check " + where(request, cloud) + " for " + report.keysText() + ". If it is really gone "
                        + "and you want to buy again, use a new --token.");
            }
            return report(called, executor, request, context, cloud, report);
        }
        if (!recorded.commitmentId().equals(called.outcome().commitmentId())) {
            return report.refused("recorded commitment differs", "Refused: the journal records that an earlier run "
                    + "with this token bought " + recorded.commitmentId() + ", but the cloud's lookup found "
                    + called.outcome().commitmentId() + " for this token; nothing was bought. Check both in "
                    + where(request, cloud) + ".");
        }
        return report.ownedByEarlierRun(called.outcome(), recorded.at());
    }

    /** What the executor did: an outcome, or the failure it threw. */
    private record Called(PurchaseOutcome outcome, RuntimeException failure) {
        TokenJournal.Outcome journalOutcome() {
            if (outcome != null) {
                return switch (outcome.kind()) {
                    case BOUGHT -> TokenJournal.Outcome.held("bought", true, outcome.commitmentId(), outcome.key(),
                            outcome.confirming());
                    case RECOVERED -> TokenJournal.Outcome.held("recovered", true, outcome.commitmentId(),
                            outcome.key(), outcome.confirming());
                    // found by the guard: this attempt bought nothing (the one that did has its own record)
                    case ALREADY_OWNED -> TokenJournal.Outcome.held("owned", false, outcome.commitmentId(),
                            outcome.key(), outcome.confirming());
                };
            }
            if (failure instanceof AttemptInFlightException) {
                return TokenJournal.Outcome.nothingBought("in-flight");
            }
            if (failure instanceof GuardUndecidedException) {
                return TokenJournal.Outcome.nothingBought("guard-undecided");
            }
            if (failure instanceof TransientFailureException) {
                return TokenJournal.Outcome.nothingBought("not-sent");
            }
            if (failure instanceof PurchaseRejectedException) {
                return TokenJournal.Outcome.nothingBought("rejected");
            }
            if (failure instanceof ValidationException) {
                return TokenJournal.Outcome.nothingBought("invalid");
            }
            if (failure instanceof OutcomeUnknownException) {
                return TokenJournal.Outcome.unknown("unknown");
            }
            return TokenJournal.Outcome.unknown(failure instanceof PurchaseException p ? p.kind().name()
                    .toLowerCase(java.util.Locale.ROOT) : "error");
        }
    }

    private static Called purchase(CommitmentExecutor executor, CommitmentRequest request, PurchaseContext context) {
        try {
            return new Called(executor.purchase(request, context), null);
        } catch (RuntimeException e) {
            return new Called(null, e);
        }
    }

    private int report(Called called, CommitmentExecutor executor, CommitmentRequest request, PurchaseContext context,
                       URI cloud, BuyReport report) {
        if (called.outcome() != null) {
            return report.outcome(called.outcome());
        }
        String earlier = context.hasUnknownAttempt() ? "\nAn earlier run with this token may have bought it (its "
                + "outcome is unknown): run the same command again later to settle it; it buys only if nothing was "
                + "bought." : "";
        RuntimeException failure = called.failure();
        if (failure instanceof ValidationException e) {
            throw usage(e);
        } else if (failure instanceof OutcomeUnknownException e) {
            return report.outcomeUnknown(e.getMessage(), howToSettle(executor, request, context, cloud, report));
        } else if (failure instanceof AttemptInFlightException e) {
            return report.attemptInFlight(e.retryAfter());
        } else if (failure instanceof GuardUndecidedException e) {
            return report.refused("guard undecided", "Refused: could not tell whether this commitment is already "
                    + "owned, so nothing was bought (" + e.getMessage() + ").\n"
                    + "Run the same command again later with the same --token; it buys only if it is not owned."
                    + earlier);
        } else if (failure instanceof TransientFailureException e) {
            return report.refused("not sent", "Nothing was bought: the purchase could not be sent ("
                    + e.getMessage() + "). It is safe to run the same command again." + earlier);
        } else if (failure instanceof PurchaseRejectedException e) {
            return report.refused("rejected", "Refused by the cloud" + code(e) + ": " + e.getMessage()
                    + "\nNothing was bought; fix the request before trying again." + earlier);
        } else if (failure instanceof PurchaseException e) {
            return report.outcomeUnknown(e.getMessage(), howToSettle(executor, request, context, cloud, report));
        }
        throw failure;
    }

    private String howToSettle(CommitmentExecutor executor, CommitmentRequest request, PurchaseContext context,
                               URI cloud, BuyReport report) {
        String where = where(request, cloud);
        String keys = report.keysText();
        if (context.idempotent()) {
            String advice = "Check " + where + " for " + keys + ".\n"
                    + "To settle it safely, run the same command again with the same --token and the same journal ("
                    + journalDir(report) + "): it reads this attempt's record, looks the commitment up first and "
                    + "buys only if this attempt did not.";
            if (executor.dedupeStrength() == DedupeStrength.LOOKUP_GUARD) {
                advice += "\n" + request.type().slug() + " takes no key of ours: only the journal tells a re-run when "
                        + "this purchase was sent, so that it can recognise the reservation even untagged. Re-run "
                        + "where the journal is (this user on this machine, or the same --journal-dir).";
            }
            return advice;
        }
        return "Check " + where + " for " + keys + " before buying again.\n"
                + "This was a one-off purchase without --token: running it again may buy a second one "
                + "(the 24-hour duplicate check refuses if it finds the first).";
    }

    private static String journalDir(BuyReport report) {
        Path file = report.journal();
        return file == null ? "?" : String.valueOf(file.getParent());
    }

    private static String where(CommitmentRequest request, URI cloud) {
        return cloud == null
                ? "in the " + request.type().cloud().slug() + " console or CLI (account " + request.account()
                + ", region " + request.region() + ")"
                : "with: curl -s " + cloud.toString().replaceAll("/+$", "") + "/__pledge/commitments";
    }

    /** --journal-dir, else $PLEDGE_JOURNAL_DIR, else ~/.pledge/cli-journal. */
    private Path journalDirectory(CliEnvironment env) {
        if (journalDir != null) {
            if (journalDir.toString().isBlank()) {
                throw usage("--journal-dir: must name a directory");
            }
            return journalDir.toAbsolutePath().normalize();
        }
        return env.variable(TokenJournal.DIRECTORY_VARIABLE).map(v -> Path.of(v).toAbsolutePath().normalize())
                .orElseGet(TokenJournal::defaultDirectory);
    }

    private static String code(PurchaseException e) {
        return e.cloudCode() == null ? "" : " (" + e.cloudCode() + ")";
    }

    private static Optional<PriceQuote> quote(CommitmentExecutor executor, CommitmentRequest request) {
        try {
            return executor.quote(request);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private URI endpoint(CliEnvironment env) {
        String flag = endpoint != null ? "--endpoint" : ENDPOINT_VARIABLE;
        String value = endpoint != null ? endpoint : env.variable(ENDPOINT_VARIABLE).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw usage(flag + ": '" + value + "' is not an http(s) URL such as http://127.0.0.1:4566");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw usage(flag + ": '" + value + "' is not an http(s) URL such as http://127.0.0.1:4566");
        }
    }

    private CommitmentRequest request() {
        try {
            return CommitmentRequest.parse(type, account, region, offering, count, term, payment, allAttributes());
        } catch (ValidationException e) {
            throw usage(e);
        }
    }

    /** --attribute entries plus the named type-specific flags; a key given both ways is refused. */
    private Map<String, String> allAttributes() {
        Map<String, String> all = new LinkedHashMap<>(attributes);
        for (Map.Entry<String, String> named : NAMED_ATTRIBUTES.entrySet()) {
            String value = switch (named.getKey()) {
                case "hourlyCommitment" -> hourlyCommitment;
                case "vcpus" -> vcpus;
                case "memoryMb" -> memoryMb;
                default -> null;
            };
            if (value != null && all.put(named.getKey(), value) != null) {
                throw usage(named.getValue() + " and --attribute " + named.getKey() + "=... both given; give one");
            }
        }
        return all;
    }

    private PurchaseContext context(CliEnvironment env) {
        if (token == null) {
            return PurchaseContext.oneOff(env.clock());
        }
        try {
            return PurchaseContext.withToken(new ExecutionToken(token).item(0), null, List.of());
        } catch (ValidationException e) {
            throw usage(e);
        }
    }

    private ParameterException usage(ValidationException e) {
        return usage(flagOf(e.field()) + ": " + e.problem());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Attributes that have a flag of their own, and that flag. */
    static final Map<String, String> NAMED_ATTRIBUTES = Map.of(
            "hourlyCommitment", "--hourly-commitment",
            "vcpus", "--vcpus",
            "memoryMb", "--memory-mb");

    /** The flag a request field comes from, so that errors name what the user typed. */
    static String flagOf(String field) {
        if (field.startsWith("attributes.") && NAMED_ATTRIBUTES.containsKey(field.substring(11))) {
            return NAMED_ATTRIBUTES.get(field.substring(11)) + " (attribute " + field.substring(11) + ")";
        }
        return switch (field) {
            case "type" -> "--type";
            case "account" -> "--account";
            case "region" -> "--region";
            case "offering" -> "--offering";
            case "quantity" -> "--count";
            case "term" -> "--term";
            case "payment" -> "--payment";
            case "token" -> "--token";
            case "attributes" -> "--attribute";
            default -> field.startsWith("attributes.")
                    ? "--attribute " + field.substring("attributes.".length()) + "=..."
                    : field;
        };
    }

    /** The type slugs, for the help text and shell completion. */
    static final class TypeSlugs implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(CommitmentType.values()).map(CommitmentType::slug).iterator();
        }
    }
}
