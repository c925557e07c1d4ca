package dev.pledge.common.idempotency;

import dev.pledge.common.model.ValidationException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyDerivationTest {
    private final ItemToken item = new ExecutionToken("exec-token-for-tests").item(3);

    @Test
    void item_token_is_sha256_of_execution_token_colon_position() {
        assertThat(item.hex()).isEqualTo(ItemToken.sha256Hex("exec-token-for-tests:3"));
        assertThat(new ExecutionToken("exec-token-for-tests").item(4)).isNotEqualTo(item);
    }

    @Test
    void reservation_id_fills_to_max_length_and_never_holds_the_whole_token() {
        String id = KeyDerivation.reservationId(item, "pledge-", 255, KeyCharset.LOWER_ALNUM_HYPHEN);
        assertThat(id).hasSize("pledge-".length() + KeyDerivation.MAX_HEX).startsWith("pledge-");
        assertThat(id).doesNotContain(item.hex());
        assertThat(KeyDerivation.reservationId(item, "pledge-", 24, KeyCharset.LOWER_ALNUM_HYPHEN)).hasSize(24);
    }

    @Test
    void a_max_length_leaving_fewer_than_16_hex_digits_is_refused() {
        assertThatThrownBy(() -> KeyDerivation.reservationId(item, "pledge-", 20, KeyCharset.LOWER_ALNUM_HYPHEN))
                .hasMessageContaining("at least 16");
    }

    @Test
    void a_prefix_outside_the_charset_or_not_starting_with_a_letter_is_refused() {
        assertThatThrownBy(() -> KeyDerivation.reservationId(item, "Pledge-", 40, KeyCharset.LOWER_ALNUM_HYPHEN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDerivation.reservationId(item, "1pledge", 40, KeyCharset.ALNUM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDerivation.reservationId(item, "pledge-", 40, KeyCharset.ALNUM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc1035_names_are_lowercase_start_with_a_letter_and_fit_63() {
        String name = KeyDerivation.rfc1035Name(item, "pledge-");
        assertThat(name).matches("[a-z]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void uuid_is_version_5_rfc_variant_and_deterministic() {
        UUID u = KeyDerivation.uuid(item);
        assertThat(u.version()).isEqualTo(5);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(KeyDerivation.uuid(new ExecutionToken("exec-token-for-tests").item(3))).isEqualTo(u);
        assertThat(u).isNotEqualTo(new UUID(0, 0));
    }

    @Test
    void uuid_v5_matches_the_rfc_9562_example() {
        // RFC 9562 appendix A.4: namespace DNS, name "www.example.com".
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(KeyDerivation.uuidV5(dns, "www.example.com"))
                .hasToString("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    }

    @Test
    void one_off_tokens_start_with_the_time_and_differ_every_call() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ItemToken t = ItemToken.oneOff(clock);
            assertThat(t.hex()).startsWith(String.format("%012x", clock.millis()));
            seen.add(t.hex());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void generated_execution_tokens_carry_256_random_bits() {
        ExecutionToken a = ExecutionToken.generate();
        assertThat(a.value()).matches("[0-9a-f]{64}");
        assertThat(ExecutionToken.generate()).isNotEqualTo(a);
    }

    @Test
    void tokens_print_masked() {
        ExecutionToken t = new ExecutionToken("abcdefghijklmnop");
        assertThat(t.toString()).doesNotContain("abcdefghijklmnop").contains("abcdefgh…");
        assertThat(item.toString()).doesNotContain(item.hex());
    }

    @Test
    void a_token_with_spaces_or_an_empty_token_is_refused_naming_the_field() {
        assertThatThrownBy(() -> new ExecutionToken("has space"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("token"));
        assertThatThrownBy(() -> new ExecutionToken(""))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("token"));
        assertThatThrownBy(() -> new ExecutionToken("t").item(-1))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("position"));
    }
}
