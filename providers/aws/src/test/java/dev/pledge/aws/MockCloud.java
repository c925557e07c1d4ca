package dev.pledge.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.CredentialSource;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.common.spi.PurchaseContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A plain WireMock server standing in for AWS in the per-executor mock tests: stubs answer with
 * recorded response fixtures from {@code src/test/resources/fixtures}, and tests verify the
 * requests the real SDK clients sent.
 */
final class MockCloud implements AutoCloseable {
    /** Test vector 1 of common/README.md: item 0 of execution token {@code pledge-test-vector-1}. */
    static final PurchaseContext CONTEXT = PurchaseContext.withToken(
            new ExecutionToken("pledge-test-vector-1").item(0), "exec-42", List.of());
    /** The item key that context derives: {@code pledge-} and 48 hex digits of the item token. */
    static final String ITEM_KEY = "pledge-6d08df899f044790106e2606224be98e9c7c8c503c1669a5";
    static final String CLIENT_TOKEN = "3fc891a0-01e7-5e91-a278-a8ced6bd3961";

    final WireMockServer server;
    private final AwsExecutorProvider provider = new AwsExecutorProvider();
    private final List<CommitmentExecutor> executors = new java.util.concurrent.CopyOnWriteArrayList<>();

    MockCloud() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .gzipDisabled(true));
        server.start();
        server.resetAll();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Executors pointed at this server with the emulator defaults (3 attempts, short timeouts). */
    CommitmentExecutor executor(CommitmentType type) {
        return executor(type, CredentialSource.DEFAULT_CHAIN);
    }

    CommitmentExecutor executor(CommitmentType type, CredentialSource credentials) {
        return executor(type, ProviderSettings.emulator(url()).withCredentials(credentials));
    }

    /** An executor of a new provider instance (own SDK clients and offering cache) with these settings. */
    CommitmentExecutor executor(CommitmentType type, ProviderSettings settings) {
        List<CommitmentExecutor> created = provider.create(settings);
        executors.addAll(created);
        return created.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }

    /**
     * Forgets the stubs and recorded requests, and the offering lookups the executors cached, so
     * each test starts from a cold executor whatever ran before it in the class.
     */
    void reset() {
        server.resetAll();
        executors.forEach(e -> ((AwsExecutor) e).clients.offerings().clear());
    }

    static String fixture(String path) {
        try (InputStream in = MockCloud.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        executors.forEach(CommitmentExecutor::close);
        server.stop();
    }
}
