package dev.pledge.common.logging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, (none)",
            "'', (none)",
            "a, (redacted)",
            "12345678, (redacted)",
            "123456789, 12345678…",
            "pk_live_0123456789abcdef, pk_live_…",
    })
    void shows_at_most_the_first_eight_characters(String secret, String expected) {
        assertThat(Masking.mask(secret)).isEqualTo(expected);
    }
}
