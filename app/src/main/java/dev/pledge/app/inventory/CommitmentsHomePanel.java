package dev.pledge.app.inventory;

import dev.pledge.app.console.HomePanel;
import dev.pledge.app.console.Person;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's Home section for held commitments: per cloud and type, what is active, what it costs
 * per month, and how much expires within 30, 60 and 90 days. Shown once an inventory refresh found any.
 */
@Component
class CommitmentsHomePanel implements HomePanel {
    private final CommitmentController commitments;

    CommitmentsHomePanel(CommitmentController commitments) {
        this.commitments = commitments;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public String template() {
        return "console/panels/commitments";
    }

    @Override
    public Optional<Object> model(Person person) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) commitments.summary().get("summary");
        return rows == null || rows.isEmpty() ? Optional.empty() : Optional.of(rows);
    }
}
