package dev.pledge.soak;

import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Valid line items per commitment type: offerings the emulator sells, and the type-specific
 * attributes each executor requires.
 */
final class ItemCatalog {

    /** An offering a type can be bought with, and the attributes that go with it. */
    record Offering(String region, String offering, String term, String payment, Map<String, String> attributes) {
    }

    private final Map<CommitmentType, List<Offering>> offerings;

    ItemCatalog(Map<CommitmentType, List<Offering>> offerings) {
        for (CommitmentType t : CommitmentType.values()) {
            if (offerings.getOrDefault(t, List.of()).isEmpty()) {
                throw new IllegalArgumentException("no offering for " + t.slug() + " in the soak catalog");
            }
        }
        this.offerings = Map.copyOf(offerings);
    }

    NewItem item(CommitmentType type, UUID account, Random random) {
        List<Offering> choices = offerings.get(type);
        Offering o = choices.get(random.nextInt(choices.size()));
        String term = o.term();
        if (term == null) {
            List<Term> terms = new ArrayList<>(type.terms());
            terms.sort(null);
            term = terms.get(random.nextInt(terms.size())).slug();
        }
        String payment = o.payment();
        if (payment == null && type.takesPayment()) {
            List<PaymentOption> payments = new ArrayList<>(type.payments());
            payments.sort(null);
            payment = payments.get(random.nextInt(payments.size())).slug();
        }
        // plans are bought by amount, GCP commitments are sized by attributes: one each
        int quantity = type == CommitmentType.AWS_SAVINGS_PLAN || type == CommitmentType.AZURE_SAVINGS_PLAN
                || type == CommitmentType.GCP_COMPUTE ? 1 : 1 + random.nextInt(4);
        return new NewItem(account, type.slug(), o.region(), o.offering(), quantity, term, payment,
                o.attributes());
    }
}
