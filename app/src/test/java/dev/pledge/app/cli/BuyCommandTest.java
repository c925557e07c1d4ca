package dev.pledge.app.cli;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge buy} run in-process against the real executors talking HTTP to an embedded
 * emulator; every check reads what the emulator holds afterwards.
 */
class BuyCommandTest {
    private static final String RESERVATION = "azure-reservation";
    private static final String SUBSCRIPTION = "00000000-0000-4000-8000-000000000001";
    private static Emulator emulator;
    private static EmulatorClient cloud;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        cloud = emulator.client();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void forgetEverything() {
        cloud.reset();
        CliRun.journalDir = CliRun.temporaryJournalDir(); // the journal of a token is as new as the cloud
    }

    private static String[] reservation(String... more) {
        return CommandLineUsageTest.append(new String[]{"buy", "--type", RESERVATION, "--account", SUBSCRIPTION,
                "--region", "westeurope", "--offering", "Standard_D2s_v3", "--count", "2", "--term", "1y",
                "--payment", "monthly", "--endpoint", emulator.baseUrl().toString()}, more);
    }

    private static List<Commitment> reservations() {
        return cloud.commitments(Cloud.AZURE, RESERVATION);
    }

    private static int purchaseCalls() {
        return cloud.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE);
    }

    @Test
    void a_dry_run_shows_the_derived_alias_and_buys_nothing() {
        CliRun r = CliRun.run(reservation("--token", "CHG-1042"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("Azure reservation (azure-reservation)", "Standard_D2s_v3", "alias",
                "pledge-", "Dry run: nothing bought");
        assertThat(reservations()).isEmpty();
        assertThat(purchaseCalls()).isZero();
    }

    @Test
    void an_explicit_dry_run_buys_nothing_even_on_a_terminal() {
        CliRun r = CliRun.with(Map.of(), List.of("yes"), reservation("--dry-run"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(reservations()).isEmpty();
        assertThat(purchaseCalls()).isZero();
    }

    @Test
    void the_same_token_twice_buys_once() {
        CliRun first = CliRun.run(reservation("--yes", "--token", "CHG-1042"));
        CliRun second = CliRun.run(reservation("--yes", "--token", "CHG-1042"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(first.out).contains("Bought ");
        assertThat(second.exitCode).as(second.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.out).contains("Already owned: ");
        assertThat(reservations()).hasSize(1);
        assertThat(purchaseCalls()).isEqualTo(1);
        String id = reservations().get(0).id();
        assertThat(first.out).contains(id);
        assertThat(second.out).contains(id);
    }

    @Test
    void without_a_token_the_second_purchase_is_refused_as_a_duplicate_and_nothing_more_is_bought() {
        CliRun first = CliRun.run(reservation("--yes"));
        CliRun second = CliRun.run(reservation("--yes"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(first.out).contains("one-off, non-idempotent mode");
        assertThat(second.exitCode).as(second.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(second.err).contains("an identical purchase", "--allow-duplicate", "--token",
                reservations().get(0).id());
        assertThat(reservations()).hasSize(1);
        assertThat(purchaseCalls()).isEqualTo(1);
    }

    @Test
    void without_a_token_and_with_allow_duplicate_the_second_run_buys_a_second_commitment() {
        CliRun first = CliRun.run(reservation("--yes"));
        CliRun second = CliRun.run(reservation("--yes", "--allow-duplicate"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.exitCode).as(second.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.out).contains("buying another because of --allow-duplicate");
        List<Commitment> bought = reservations();
        assertThat(bought).hasSize(2);
        assertThat(bought.get(0).id()).isNotEqualTo(bought.get(1).id());
        assertThat(bought.get(0).key()).isNotEqualTo(bought.get(1).key());
    }

    @Test
    void when_the_duplicate_check_cannot_look_it_refuses_and_says_how_to_override() {
        cloud.inject(FaultSpec.error(Cloud.AZURE, RESERVATION, "ReservationOrderAlias_ListPurchases", 10, 500,
                "InternalServerError"));

        CliRun r = CliRun.run(reservation("--yes"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err).contains("could not check for an identical purchase", "--allow-duplicate", "--token");
        assertThat(reservations()).isEmpty();
        assertThat(purchaseCalls()).isZero();
    }

    @Test
    void allow_duplicate_overrides_a_failed_duplicate_check() {
        cloud.inject(FaultSpec.error(Cloud.AZURE, RESERVATION, "ReservationOrderAlias_ListPurchases", 10, 500,
                "InternalServerError"));

        CliRun r = CliRun.run(reservation("--yes", "--allow-duplicate"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(reservations()).hasSize(1);
    }

    @Test
    void a_lost_answer_is_outcome_unknown_and_rerunning_with_the_same_token_settles_it_without_buying_again() {
        cloud.inject(FaultSpec.of(Cloud.AZURE, RESERVATION, "ReservationOrderAlias_Create",
                FaultKind.RESET_AFTER_COMMIT, 1));

        CliRun lost = CliRun.run(reservation("--yes", "--token", "CHG-7"));
        CliRun again = CliRun.run(reservation("--yes", "--token", "CHG-7"));

        assertThat(lost.exitCode).as(lost.toString()).isEqualTo(ExitCode.OUTCOME_UNKNOWN);
        assertThat(lost.err).contains("Outcome unknown", "/__pledge/commitments", "same --token");
        assertThat(again.exitCode).as(again.toString()).isEqualTo(ExitCode.OK);
        assertThat(reservations()).hasSize(1);
        assertThat(purchaseCalls()).isEqualTo(1);
    }

    @Test
    void the_cloud_refusing_the_offering_is_exit_3_with_nothing_bought() {
        CliRun r = CliRun.run(CommandLineUsageTest.replace(reservation("--yes", "--token", "CHG-8"),
                "Standard_D2s_v3", "Standard_Nope_v9"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err).contains("Refused by the cloud");
        assertThat(reservations()).isEmpty();
    }

    @Test
    void on_a_terminal_it_asks_and_buys_only_after_yes() {
        CliRun declined = CliRun.with(Map.of(), List.of("n"), reservation("--token", "CHG-9"));
        assertThat(declined.exitCode).as(declined.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(declined.err).contains("Not confirmed");
        assertThat(reservations()).isEmpty();

        CliRun confirmed = CliRun.with(Map.of(), List.of("y"), reservation("--token", "CHG-9"));
        assertThat(confirmed.exitCode).as(confirmed.toString()).isEqualTo(ExitCode.OK);
        assertThat(reservations()).hasSize(1);
    }

    @Test
    void the_endpoint_can_come_from_the_environment() {
        String[] withoutEndpoint = {"buy", "--type", RESERVATION, "--account", SUBSCRIPTION, "--region",
                "westeurope", "--offering", "Standard_D2s_v3", "--term", "1y", "--payment", "monthly", "--yes",
                "--token", "CHG-10"};

        CliRun r = CliRun.with(Map.of("PLEDGE_CLOUD_ENDPOINT", emulator.baseUrl().toString()), null,
                withoutEndpoint);

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("emulator at " + emulator.baseUrl());
        assertThat(reservations()).hasSize(1);
    }

    @Test
    void json_output_reports_the_outcome_and_masks_the_token() {
        CliRun r = CliRun.run(reservation("--yes", "--token", "CHG-2024-secretish", "--output", "json"));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        JsonNode json = JsonMapper.builder().build().readTree(r.out);
        assertThat(json.path("status").asString()).isEqualTo("bought");
        assertThat(json.path("commitmentId").asString()).isEqualTo(reservations().get(0).id());
        assertThat(json.path("mode").asString()).isEqualTo("token");
        assertThat(json.path("exitCode").asInt()).isZero();
        assertThat(r.out + r.err).doesNotContain("CHG-2024-secretish").contains("CHG-2024…");
    }

    @Test
    void gcp_compute_takes_its_size_from_the_named_flags() {
        CliRun r = CliRun.run("buy", "--type", "gcp-compute", "--account", "pledge-demo-project", "--region",
                "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4", "--memory-mb",
                "16384", "--yes", "--token", "CHG-11", "--endpoint", emulator.baseUrl().toString());

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(cloud.commitments(Cloud.GCP, "gcp-compute")).hasSize(1);
    }

    @Test
    void a_missing_type_specific_attribute_is_a_usage_error_naming_the_flag_and_nothing_is_sent() {
        CliRun r = CliRun.run("buy", "--type", "gcp-compute", "--account", "pledge-demo-project", "--region",
                "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4", "--yes",
                "--endpoint", emulator.baseUrl().toString());

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--memory-mb");
        assertThat(cloud.requestCounts()).isEmpty();
    }

    /** A valid request of every type the CLI sells, as flags (the emulator's seeded catalog has each offering). */
    static Stream<Arguments> everyType() {
        String aws = "--account=111122223333";
        return Stream.of(
                Arguments.of(Cloud.AWS, "aws-ec2", List.of(aws, "--region=us-east-1", "--offering=m5.large",
                        "--count=2", "--term=1y", "--payment=no-upfront")),
                Arguments.of(Cloud.AWS, "aws-savings-plan", List.of(aws, "--region=us-east-1", "--offering=Compute",
                        "--term=1y", "--payment=no-upfront", "--hourly-commitment=1.5")),
                Arguments.of(Cloud.AWS, "aws-rds", List.of(aws, "--region=us-east-1", "--offering=db.r6g.large",
                        "--count=2", "--term=1y", "--payment=partial-upfront")),
                Arguments.of(Cloud.AWS, "aws-elasticache", List.of(aws, "--region=eu-west-1",
                        "--offering=cache.r6g.large", "--term=3y", "--payment=all-upfront")),
                Arguments.of(Cloud.AWS, "aws-memorydb", List.of(aws, "--region=us-west-2", "--offering=db.r6g.large",
                        "--term=1y", "--payment=no-upfront")),
                Arguments.of(Cloud.AWS, "aws-opensearch", List.of(aws, "--region=us-east-1",
                        "--offering=r6g.large.search", "--count=3", "--term=1y", "--payment=no-upfront")),
                Arguments.of(Cloud.AWS, "aws-redshift", List.of(aws, "--region=us-east-1", "--offering=ra3.xlplus",
                        "--count=2", "--term=1y", "--payment=all-upfront")),
                Arguments.of(Cloud.AZURE, "azure-reservation", List.of("--account=" + SUBSCRIPTION,
                        "--region=westeurope", "--offering=Standard_D2s_v3", "--term=3y", "--payment=upfront")),
                Arguments.of(Cloud.AZURE, "azure-savings-plan", List.of("--account=" + SUBSCRIPTION,
                        "--region=global", "--offering=Compute_Savings_Plan", "--term=5y", "--payment=monthly",
                        "--hourly-commitment=2.25")),
                Arguments.of(Cloud.GCP, "gcp-compute", List.of("--account=pledge-demo-project",
                        "--region=europe-west1", "--offering=GENERAL_PURPOSE_N2", "--term=1y", "--vcpus=4",
                        "--memory-mb=16384")));
    }

    private static String[] buy(String type, List<String> flags, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("buy", "--type", type, "--endpoint",
                emulator.baseUrl().toString()));
        all.addAll(flags);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyType")
    void for_every_type_a_dry_run_buys_nothing_and_the_same_token_twice_buys_once(Cloud c, String type,
                                                                                 List<String> flags) {
        CliRun dry = CliRun.run(buy(type, flags, "--token", "T-" + type));
        assertThat(dry.exitCode).as(dry.toString()).isEqualTo(ExitCode.OK);
        assertThat(dry.out).contains("Dry run: nothing bought");
        assertThat(cloud.commitments(c, type)).isEmpty();
        assertThat(cloud.requestCount(c, type, CallKind.PURCHASE)).isZero();

        CliRun first = CliRun.run(buy(type, flags, "--yes", "--token", "T-" + type));
        CliRun second = CliRun.run(buy(type, flags, "--yes", "--token", "T-" + type));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.exitCode).as(second.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.out).containsAnyOf("Already owned", "Recovered");
        List<Commitment> held = cloud.commitments(c, type);
        assertThat(held).hasSize(1);
        // the executor reports the cloud's id (GCP: the commitment's resource path, which ends in its name)
        String shown = held.get(0).key() != null && type.startsWith("gcp") ? held.get(0).key() : held.get(0).id();
        assertThat(first.out).contains(shown);
        assertThat(cloud.requestCount(c, type, CallKind.PURCHASE)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyType")
    void for_every_type_without_a_token_a_repeat_is_refused_until_allowed_and_then_buys_a_distinct_one(
            Cloud c, String type, List<String> flags) {
        CliRun first = CliRun.run(buy(type, flags, "--yes"));
        CliRun refused = CliRun.run(buy(type, flags, "--yes"));
        CliRun allowed = CliRun.run(buy(type, flags, "--yes", "--allow-duplicate"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(allowed.exitCode).as(allowed.toString()).isEqualTo(ExitCode.OK);
        List<Commitment> held = cloud.commitments(c, type);
        assertThat(held).hasSize(2);
        assertThat(held.get(0).id()).isNotEqualTo(held.get(1).id());
        assertThat(cloud.requestCount(c, type, CallKind.PURCHASE)).isEqualTo(2);
    }

    @Test
    void a_dry_run_shows_the_price_when_the_offering_lookup_knows_it() {
        CliRun r = CliRun.run("buy", "--type", "aws-rds", "--account", "111122223333", "--region", "us-east-1",
                "--offering", "db.r6g.large", "--count", "2", "--term", "1y", "--payment", "partial-upfront",
                "--endpoint", emulator.baseUrl().toString(), "--output", "json");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        JsonNode json = JsonMapper.builder().build().readTree(r.out);
        assertThat(json.path("status").asString()).isEqualTo("dry-run");
        assertThat(json.path("price").path("currency").asString()).isEqualTo("USD");
        assertThat(json.path("price").path("upfront").asDouble()).isPositive();
        assertThat(json.path("keys").path("reservedDBInstanceId").isMissingNode()
                && json.path("keys").isEmpty()).isFalse();
        assertThat(cloud.commitments(Cloud.AWS, "aws-rds")).isEmpty();
    }
}
