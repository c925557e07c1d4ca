package dev.pledge.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Help and usage errors: no cloud involved, so nothing can be sent. */
class CommandLineUsageTest {

    private static final String[] VALID_EC2 = {"buy", "--type", "aws-ec2", "--account", "111122223333",
            "--region", "us-east-1", "--offering", "m5.large", "--term", "1y", "--payment", "no-upfront",
            "--endpoint", "http://127.0.0.1:9"};

    @Test
    void top_level_help_lists_every_command_and_the_exit_codes() {
        CliRun r = CliRun.run("--help");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("serve", "buy", "emulator", "purchases", "Exit codes:", "outcome unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "buy", "emulator", "purchases"})
    void every_command_has_help_that_describes_it(String command) {
        CliRun r = CliRun.run(command, "--help");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("Usage: pledge " + command).doesNotContain("Not built yet");
    }

    @Test
    void buy_help_lists_all_ten_types_and_the_exit_codes() {
        CliRun r = CliRun.run("help", "buy");
        assertThat(r.exitCode).isZero();
        assertThat(r.out).contains("aws-ec2", "aws-savings-plan", "aws-rds", "aws-elasticache", "aws-memorydb",
                "aws-opensearch", "aws-redshift", "azure-reservation", "azure-savings-plan", "gcp-compute",
                "--allow-duplicate", "--token", "PLEDGE_CLOUD_ENDPOINT", "Exit codes:");
    }

    @Test
    void no_command_is_a_usage_error() {
        CliRun r = CliRun.run();
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("a command is required");
    }

    @Test
    void a_missing_required_flag_is_named() {
        CliRun r = CliRun.run("buy", "--type", "aws-ec2");
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--account", "--region", "--offering", "--term");
    }

    @Test
    void an_unknown_type_is_refused_naming_the_flag_and_listing_the_types() {
        CliRun r = CliRun.run(replace(VALID_EC2, "aws-ec2", "aws-ec3"));
        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--type: unknown commitment type 'aws-ec3'", "gcp-compute");
    }

    @Test
    void a_term_the_type_does_not_sell_is_refused_naming_the_flag() {
        CliRun r = CliRun.run(replace(VALID_EC2, "1y", "5y"));
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--term: '5y' is not sold for aws-ec2; allowed: 1y, 3y");
    }

    @Test
    void a_payment_for_gcp_is_refused_naming_the_flag() {
        CliRun r = CliRun.run("buy", "--type", "gcp-compute", "--account", "my-project", "--region", "europe-west1",
                "--offering", "n2-standard-4", "--term", "1y", "--payment", "monthly");
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--payment: gcp-compute takes a term only");
    }

    @Test
    void a_count_that_is_not_a_number_or_not_positive_is_refused_naming_the_flag() {
        CliRun notANumber = CliRun.run(append(VALID_EC2, "--count", "two"));
        assertThat(notANumber.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(notANumber.err).contains("--count");
        CliRun zero = CliRun.run(append(VALID_EC2, "--count", "0"));
        assertThat(zero.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err).contains("--count: must be greater than 0");
    }

    @Test
    void an_endpoint_that_is_not_a_url_is_refused_naming_the_flag_or_the_variable() {
        CliRun flag = CliRun.run(replace(VALID_EC2, "http://127.0.0.1:9", "localhost:4566"));
        assertThat(flag.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(flag.err).contains("--endpoint: 'localhost:4566' is not an http(s) URL");

        String[] withoutEndpoint = java.util.Arrays.copyOf(VALID_EC2, VALID_EC2.length - 2);
        CliRun variable = CliRun.with(Map.of("PLEDGE_CLOUD_ENDPOINT", "ftp://x"), null, withoutEndpoint);
        assertThat(variable.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(variable.err).contains("PLEDGE_CLOUD_ENDPOINT: 'ftp://x' is not an http(s) URL");
    }

    @Test
    void a_token_with_spaces_is_refused_naming_the_flag() {
        CliRun r = CliRun.run(append(VALID_EC2, "--token", "has space"));
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--token: must be 1-256 printable ASCII characters with no spaces");
    }

    @Test
    void dry_run_and_yes_together_are_refused() {
        CliRun r = CliRun.run(append(VALID_EC2, "--dry-run", "--yes"));
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--dry-run and --yes contradict each other");
    }

    @Test
    void an_unknown_output_format_is_refused_naming_the_flag() {
        CliRun r = CliRun.run(append(VALID_EC2, "--output", "yaml"));
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--output", "yaml");
    }

    @Test
    void purchases_without_an_api_key_is_a_usage_error_naming_the_variable() {
        CliRun r = CliRun.run("purchases", "list", "--server", "http://127.0.0.1:9");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("PLEDGE_API_KEY is not set");
    }

    @Test
    void purchases_with_a_bad_server_url_is_a_usage_error_naming_the_flag() {
        CliRun r = CliRun.with(Map.of("PLEDGE_API_KEY", "k-123456789"), null, "purchases", "show", "--server",
                "127.0.0.1:8080", "0f9c1d2e-0000-4000-8000-000000000001");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--server: '127.0.0.1:8080' is not an http(s) URL");
    }

    @Test
    void purchases_against_a_server_that_is_not_running_says_so_without_showing_the_key() {
        CliRun r = CliRun.with(Map.of("PLEDGE_API_KEY", "secret-key-0123456789"), null,
                "purchases", "list", "--server", "http://127.0.0.1:9");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.INTERNAL);
        assertThat(r.err).contains("Cannot reach the Pledge server at http://127.0.0.1:9");
        assertThat(r.out + r.err).doesNotContain("secret-key-0123456789");
    }

    @Test
    void reject_requires_a_reason() {
        CliRun r = CliRun.with(Map.of("PLEDGE_API_KEY", "k-123456789"), null, "purchases", "reject",
                "0f9c1d2e-0000-4000-8000-000000000001");
        assertThat(r.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--reason");
    }

    static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    static String[] replace(String[] args, String from, String to) {
        return java.util.Arrays.stream(args).map(a -> a.equals(from) ? to : a).toArray(String[]::new);
    }
}
