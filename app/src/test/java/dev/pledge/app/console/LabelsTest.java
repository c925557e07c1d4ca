package dev.pledge.app.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LabelsTest {
    @Test
    void a_status_or_action_the_console_does_not_know_is_shown_by_its_name_in_a_neutral_style() {
        assertThat(Labels.words("CONFIRMING")).isEqualTo("Confirming");
        assertThat(Labels.tone("CONFIRMING")).isEqualTo("other");
        assertThat(Labels.action("CONFIRM_OUTCOME")).isEqualTo("Confirm outcome");
        assertThat(Labels.words("PARTIALLY_SUCCEEDED")).isEqualTo("Partially succeeded");
        assertThat(Labels.tone("FAILED")).isEqualTo("bad");
    }
}
