package dev.pledge.aws;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** Stubs for the three AWS wire protocols, answering with recorded fixtures. */
final class MockTestSupport {
    private MockTestSupport() {
    }

    /** Query protocol: {@code POST /} with form field {@code Action}. */
    static MappingBuilder queryAction(String action) {
        return post(urlEqualTo("/")).withFormParam("Action", equalTo(action));
    }

    /** JSON 1.1: {@code POST /} with {@code X-Amz-Target}. */
    static MappingBuilder jsonTarget(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder xml(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                .withBody(MockCloud.fixture(fixture));
    }

    static ResponseDefinitionBuilder json11(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(MockCloud.fixture(fixture));
    }

    static ResponseDefinitionBuilder json(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(MockCloud.fixture(fixture));
    }
}
