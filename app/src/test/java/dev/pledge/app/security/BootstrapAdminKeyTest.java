package dev.pledge.app.security;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith({PostgresExtension.class, OutputCaptureExtension.class})
class BootstrapAdminKeyTest {
    private static final Pattern PRINTED_KEY = Pattern.compile("(pk_[A-Za-z0-9_-]{43})");
    private ApiKeyService keys;
    private JdbcTemplate sql;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    @BeforeEach
    void emptyKeyTable(TestSchema db) {
        sql = db.jdbc();
        sql.update("DELETE FROM api_keys");
        keys = new ApiKeyService(new NamedParameterJdbcTemplate(db.dataSource()),
                new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())));
    }

    private void start(String configured, MockEnvironment environment) {
        start(configured, environment, true);
    }

    private void start(String configured, MockEnvironment environment, boolean terminal) {
        ApiProperties properties = new ApiProperties(true, DataSize.ofKilobytes(512), Duration.ofSeconds(60),
                configured, "ops@example.com", false, 20, Duration.ofSeconds(6));
        environment.withProperty(BootstrapAdminKey.FILE_PROPERTY, dir.resolve("admin.key").toString());
        new BootstrapAdminKey(keys, properties, environment, new PrintStream(console, true, StandardCharsets.UTF_8),
                terminal).run(new DefaultApplicationArguments());
    }

    @Test
    void a_generated_admin_key_goes_to_an_owner_only_file_and_not_to_standard_output_when_that_is_no_terminal(
            CapturedOutput logs) throws Exception {
        start(null, new MockEnvironment(), false);

        Path file = dir.resolve("admin.key");
        String secret = Files.readString(file).trim();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ApiKey key = keys.authenticate(secret, Duration.ofMinutes(1)).orElseThrow();
        assertThat(key.roles()).containsExactly(Role.ADMIN);
        assertThat(key.owner()).isEqualTo("ops@example.com");
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(secret).contains(file.toString());
        assertThat(logs.getAll()).doesNotContain(secret);
    }

    @Test
    void with_no_key_at_all_an_admin_key_is_generated_printed_once_and_logged_only_masked(CapturedOutput logs) {
        start(null, new MockEnvironment());

        Matcher printed = PRINTED_KEY.matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(printed.find()).as(console.toString(StandardCharsets.UTF_8)).isTrue();
        String secret = printed.group(1);
        ApiKey key = keys.authenticate(secret, Duration.ofMinutes(1)).orElseThrow();
        assertThat(key.roles()).containsExactly(Role.ADMIN);
        assertThat(logs.getAll()).doesNotContain(secret).contains(secret.substring(0, 8) + "…");

        console.reset();
        start(null, new MockEnvironment());
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(sql.queryForObject("SELECT count(*) FROM api_keys", Long.class)).isEqualTo(1);
    }

    @Test
    void the_key_in_pledge_bootstrap_admin_key_is_installed_once_and_nothing_is_printed(CapturedOutput logs) {
        String chosen = "a-chosen-admin-key-for-this-installation-0123456789";
        MockEnvironment environment = new MockEnvironment().withProperty("PLEDGE_BOOTSTRAP_ADMIN_KEY", chosen);

        start(null, environment);
        start(null, environment);

        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(keys.authenticate(chosen, Duration.ofMinutes(1)).orElseThrow().roles()).containsExactly(Role.ADMIN);
        assertThat(sql.queryForObject("SELECT count(*) FROM api_keys", Long.class)).isEqualTo(1);
        assertThat(logs.getAll()).doesNotContain(chosen);
    }

    @Test
    void a_revoked_bootstrap_key_stays_revoked_after_a_restart() {
        String chosen = "a-chosen-admin-key-for-this-installation-0123456789";
        start(chosen, new MockEnvironment());
        keys.create("second admin", "second@example.com", java.util.EnumSet.of(Role.ADMIN), "test");
        ApiKey bootstrap = keys.authenticate(chosen, Duration.ofMinutes(1)).orElseThrow();
        keys.revoke(bootstrap.id(), "test");

        start(chosen, new MockEnvironment());

        assertThat(keys.authenticate(chosen, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void a_notice_is_logged_while_admin_four_eyes_is_off_and_two_people_hold_admin_keys(CapturedOutput logs) {
        String chosen = "a-chosen-admin-key-for-this-installation-0123456789";
        start(chosen, new MockEnvironment());
        assertThat(logs.getAll()).doesNotContain("admin four-eyes is off");

        keys.create("second admin", "second@example.com", java.util.EnumSet.of(Role.ADMIN), "test");
        start(chosen, new MockEnvironment());

        assertThat(logs.getAll()).contains("admin four-eyes is off (pledge.api.admin-four-eyes=false) although 2 "
                + "people hold ADMIN keys");
    }

    @Test
    void a_bootstrap_key_too_short_to_be_safe_refuses_to_start_naming_the_variable() {
        MockEnvironment environment = new MockEnvironment().withProperty("PLEDGE_BOOTSTRAP_ADMIN_KEY", "admin");

        assertThatThrownBy(() -> start(null, environment)).hasMessageContaining("PLEDGE_BOOTSTRAP_ADMIN_KEY")
                .hasMessageContaining("32");
        assertThat(sql.queryForObject("SELECT count(*) FROM api_keys", Long.class)).isZero();
    }
}
