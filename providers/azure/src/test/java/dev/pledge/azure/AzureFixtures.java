package dev.pledge.azure;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.PurchaseContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Requests, contexts and recorded ARM responses (src/test/resources/azure) for the Azure tests. */
final class AzureFixtures {
    static final String SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
    static final String BILLING_SCOPE = "/subscriptions/" + SUBSCRIPTION;

    private AzureFixtures() {
    }

    static CommitmentRequest reservation(Map<String, String> attributes) {
        return new CommitmentRequest(CommitmentType.AZURE_RESERVATION, BILLING_SCOPE, "westeurope", "Standard_D2s_v3", 3,
                Term.ONE_YEAR, PaymentOption.MONTHLY, attributes);
    }

    static CommitmentRequest savingsPlan(String hourly) {
        return new CommitmentRequest(CommitmentType.AZURE_SAVINGS_PLAN, SUBSCRIPTION, "global", "Compute_Savings_Plan", 1,
                Term.THREE_YEARS, PaymentOption.MONTHLY, Map.of("hourlyCommitment", hourly));
    }

    static PurchaseContext freshContext() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-azure-test", List.of());
    }

    /** A recorded response with {@code ALIAS} replaced by the alias under test. */
    static String recorded(String name, String alias) {
        try (InputStream in = AzureFixtures.class.getResourceAsStream("/azure/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("ALIAS", alias == null ? "" : alias);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
