package dev.pledge.gcp;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.PurchaseContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Requests, contexts and recorded Compute responses (src/test/resources/gcp) for the GCP tests. */
final class GcpFixtures {
    static final String PROJECT = "pledge-demo-project";
    static final String REGION = "europe-west1";

    private GcpFixtures() {
    }

    static CommitmentRequest commitment(Map<String, String> attributes) {
        return new CommitmentRequest(CommitmentType.GCP_COMPUTE, PROJECT, REGION, "GENERAL_PURPOSE_N2", 1,
                Term.ONE_YEAR, null, attributes);
    }

    static CommitmentRequest commitment() {
        return commitment(Map.of("vcpus", "8", "memoryMb", "32768"));
    }

    static PurchaseContext freshContext() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-gcp-test", List.of());
    }

    static String recorded(String name, String commitmentName) {
        try (InputStream in = GcpFixtures.class.getResourceAsStream("/gcp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("NAME",
                    commitmentName == null ? "" : commitmentName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
