package dev.pledge.app.console;

import java.util.Optional;

/**
 * A section of the console's Home that another capability contributes when it exists (budgets used
 * and spend against budget, commitments expiring in 30/60/90 days, recommendations): a Spring bean of
 * this type, in that capability's package, with its own Thymeleaf fragment. Home shows the panels
 * that return a model for the signed-in person, in {@link #order()}; no bean, no section.
 */
public interface HomePanel {
    /** Where among the contributed panels, lower first; they follow Home's own sections (approvals to the ladder). */
    int order();

    /**
     * The template holding a fragment named {@code panel}, e.g. {@code console/panels/budgets}; the
     * fragment reads its data from the variable {@code panel}.
     */
    String template();

    /** The fragment's data for this person, or empty to show nothing (no data yet, or not theirs to see). */
    Optional<Object> model(Person person);
}
