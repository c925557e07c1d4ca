package dev.pledge.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness's own plumbing; no figure is asserted here. */
class HarnessHelpersTest {

    @Test
    void a_result_line_is_one_line_of_json_with_fields_in_order() {
        JsonLine line = JsonLine.of("x").put("n", 3).put("ms", 1.23456, 2).put("text", "a\"b\\c\nd")
                .put("nested", Map.of("k", List.of(1, 2))).put("none", null);
        assertThat(line.toString()).isEqualTo(
                "{\"scenario\":\"x\",\"n\":3,\"ms\":1.23,\"text\":\"a\\\"b\\\\c\\nd\",\"nested\":{\"k\":[1,2]},\"none\":null}");
    }

    @Test
    void percentiles_are_nearest_rank_in_milliseconds() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        assertThat(Stats.percentileMs(nanos, 50)).isEqualTo(50.0);
        assertThat(Stats.percentileMs(nanos, 99)).isEqualTo(99.0);
        assertThat(Stats.percentileMs(nanos, 100)).isEqualTo(100.0);
        assertThat(Stats.percentileMs(nanos, 0)).isEqualTo(1.0);
    }

    @Test
    void the_median_line_takes_the_median_of_every_numeric_field() {
        List<JsonLine> runs = List.of(
                JsonLine.of("s").put("part", "a").put("rate", 10.0).put("mode", "x"),
                JsonLine.of("s").put("part", "a").put("rate", 30.0).put("mode", "x"),
                JsonLine.of("s").put("part", "a").put("rate", 20.0).put("mode", "x"));
        JsonLine median = ScenarioCommand.medians(runs, Map.of("cores", 2));
        assertThat(median.get("rate")).isEqualTo(20.0);
        assertThat(median.get("mode")).isEqualTo("x");
        assertThat(median.get("runs")).isEqualTo(3);
        assertThat(median.get("aggregate")).isEqualTo("median");
    }

    @Test
    void durations_read_like_spring_properties() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> c.convert("0s")).hasMessageContaining("positive");
        assertThatThrownBy(() -> c.convert("ten")).hasMessageContaining("not a duration");
    }
}
