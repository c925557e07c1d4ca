package dev.pledge.app.console;

import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommitmentLadderTest {

    @Test
    void a_commitment_counts_from_the_month_it_was_bought_until_the_month_it_expires_in() {
        var held = List.of(new ConsoleStore.Held("aws-rds", 2, "1y", Instant.parse("2026-03-15T10:00:00Z")),
                new ConsoleStore.Held("gcp-compute", 5, "3y", Instant.parse("2025-01-10T00:00:00Z")));
        List<CommitmentLadder.Month> ladder = CommitmentLadder.of(held, YearMonth.of(2026, 3), 36);

        assertThat(ladder).hasSize(36);
        assertThat(ladder.get(0).of(Cloud.AWS)).as("bought this month").isEqualTo(2);
        assertThat(ladder.get(12).month()).isEqualTo(YearMonth.of(2027, 3));
        assertThat(ladder.get(12).of(Cloud.AWS)).as("still active on 1 March 2027").isEqualTo(2);
        assertThat(ladder.get(13).of(Cloud.AWS)).as("expired on 15 March 2027").isZero();
        assertThat(ladder.get(22).of(Cloud.GCP)).as("January 2028").isEqualTo(5);
        assertThat(ladder.get(23).of(Cloud.GCP)).as("February 2028, after 10 January 2028").isZero();
        assertThat(CommitmentLadder.cliffs(ladder)).extracting(CommitmentLadder.Month::month)
                .containsExactly(YearMonth.of(2027, 4), YearMonth.of(2028, 2));
    }

    @Test
    void the_chart_stacks_clouds_within_its_plot_and_titles_each_bar() {
        var held = List.of(new ConsoleStore.Held("aws-ec2", 3, "1y", Instant.parse("2026-01-05T00:00:00Z")),
                new ConsoleStore.Held("azure-reservation", 1, "1y", Instant.parse("2026-01-05T00:00:00Z")));
        LadderChart chart = LadderChart.of(CommitmentLadder.of(held, YearMonth.of(2026, 2), 36));
        assertThat(chart.max()).isEqualTo(4);
        assertThat(chart.bars()).allSatisfy(b -> {
            assertThat(b.y()).isGreaterThanOrEqualTo(0);
            assertThat(b.y() + b.h()).isLessThanOrEqualTo(chart.plotBottom() + 0.1);
            assertThat(b.x() + b.w()).isLessThanOrEqualTo(chart.plotRight());
        });
        assertThat(chart.bars()).filteredOn(b -> b.cloud().equals("aws")).hasSize(12);
        assertThat(chart.bars().get(0).title()).isEqualTo("Feb 2026: 3 AWS units");
    }
}
