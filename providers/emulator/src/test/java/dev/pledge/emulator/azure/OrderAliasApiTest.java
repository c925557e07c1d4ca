package dev.pledge.emulator.azure;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Azure order-alias plug-ins over real HTTP: what a client sees, and what the emulator then holds. */
class OrderAliasApiTest {
    private static final String RESERVATIONS = "/providers/Microsoft.BillingBenefits/reservationOrderAliases/";
    private static final String SAVINGS_PLANS = "/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/";
    private static final String SCOPE = "/subscriptions/11111111-2222-3333-4444-555555555555";
    private static Emulator emulator;
    private static EmulatorClient control;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().apis(List.of(new ReservationOrderAliasApi(), new SavingsPlanOrderAliasApi()))
                .build().start();
        control = emulator.client();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    static String reservationBody(String sku, int quantity) {
        return """
                {"sku":{"name":"%s"},"location":"westeurope",
                 "properties":{"displayName":"web","billingScopeId":"%s","term":"P1Y","billingPlan":"P1M",
                   "appliedScopeType":"Shared","quantity":%d,"renew":false,"reservedResourceType":"VirtualMachines"}}
                """.formatted(sku, SCOPE, quantity);
    }

    @Test
    void a_new_reservation_alias_answers_201_creating_with_operation_headers_and_polls_succeeded_once_provisioned() {
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-alias-1", reservationBody("Standard_D2s_v3", 3));

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(json(put).get("properties")).asString().contains("provisioningState=Creating");
        String status = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        String location = put.headers().firstValue("Location").orElseThrow();
        assertThat(status).startsWith(emulator.baseUrl().toString()).contains("api-version=2022-11-01");

        assertThat(json(send("GET", pathAndQuery(status), null)).get("status")).isEqualTo("Succeeded");
        HttpResponse<String> result = send("GET", pathAndQuery(location), null);
        assertThat(result.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) json(result).get("properties");
        assertThat(props).containsEntry("provisioningState", "Succeeded").containsEntry("quantity", 3)
                .containsEntry("billingScopeId", SCOPE);
        assertThat((String) props.get("reservationOrderId")).startsWith("/providers/Microsoft.Capacity/reservationOrders/");

        List<Commitment> held = control.commitments(Cloud.AZURE, "azure-reservation");
        assertThat(held).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("pledge-alias-1");
            assertThat(c.state()).isEqualTo("Succeeded");
            assertThat(c.offering().product()).isEqualTo("Standard_D2s_v3");
            assertThat(c.offering().payment()).isEqualTo("monthly");
        });
    }

    @Test
    void a_second_put_of_the_same_alias_answers_200_with_the_existing_order_and_buys_nothing() {
        HttpResponse<String> first = send("PUT", RESERVATIONS + "pledge-alias-3", reservationBody("Standard_D2s_v3", 2));
        HttpResponse<String> second = send("PUT", RESERVATIONS + "pledge-alias-3", reservationBody("Standard_D2s_v3", 2));

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(properties(second).get("reservationOrderId")).isEqualTo(properties(first).get("reservationOrderId"));
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).hasSize(1);
        assertThat(control.requestCount(Cloud.AZURE, "azure-reservation", CallKind.PURCHASE)).isEqualTo(2);
    }

    @Test
    void with_the_conflict_switch_a_second_put_answers_409_and_buys_nothing() {
        Offering sku = control.offerings(Cloud.AZURE, "azure-reservation", "westeurope").stream()
                .filter(o -> o.product().equals("Standard_D2s_v3") && o.term().equals("1y") && "monthly".equals(o.payment()))
                .findFirst().orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>(sku.attributes());
        attributes.put("duplicateAlias", "conflict");
        control.addOffering(new Offering(sku.cloud(), sku.type(), sku.region(), sku.offeringId(), sku.product(), sku.term(),
                sku.payment(), sku.description(), sku.currency(), sku.upfront(), sku.hourly(), attributes));

        assertThat(send("PUT", RESERVATIONS + "pledge-alias-4", reservationBody("Standard_D2s_v3", 2)).statusCode())
                .isEqualTo(201);
        HttpResponse<String> second = send("PUT", RESERVATIONS + "pledge-alias-4", reservationBody("Standard_D2s_v3", 2));

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).get("error")).asString().contains("code=Conflict");
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).hasSize(1);
    }

    @Test
    void a_savings_plan_alias_answers_202_and_lists_as_a_savings_plan_of_its_order() {
        String body = """
                {"sku":{"name":"Compute_Savings_Plan"},
                 "properties":{"billingScopeId":"%s","term":"P3Y","appliedScopeType":"Shared",
                   "commitment":{"grain":"Hourly","currencyCode":"USD","amount":2.5}}}""".formatted(SCOPE);

        HttpResponse<String> put = send("PUT", SAVINGS_PLANS + "pledge-plan-1", body);
        HttpResponse<String> list = send("GET", "/providers/Microsoft.BillingBenefits/savingsPlans?api-version=2022-11-01", null);

        assertThat(put.statusCode()).isEqualTo(202);
        String orderId = (String) properties(put).get("savingsPlanOrderId");
        assertThat(list.body()).contains(orderId + "/savingsPlans/").contains("\"amount\" : 2.5")
                .contains("\"purchaseDateTime\"");
        assertThat(control.commitments(Cloud.AZURE, "azure-savings-plan")).singleElement()
                .satisfies(c -> assertThat(c.offering().payment()).isEqualTo("upfront"));
    }

    @Test
    void an_unknown_alias_is_404_resource_not_found() {
        HttpResponse<String> get = send("GET", RESERVATIONS + "pledge-nothing?api-version=2022-11-01", null);

        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.body()).contains("ResourceNotFound");
    }

    @Test
    void a_put_without_a_reserved_resource_type_is_400_naming_the_field_and_buys_nothing() {
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-alias-5",
                reservationBody("Standard_D2s_v3", 1).replace(",\"reservedResourceType\":\"VirtualMachines\"", ""));

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("properties.reservedResourceType");
        assertThat(control.commitments()).isEmpty();
    }

    @Test
    void a_sku_the_catalog_does_not_sell_is_400_sku_not_available() {
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-alias-6", reservationBody("Standard_Z99", 1));

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("SkuNotAvailable");
    }

    @Test
    void a_request_without_a_bearer_token_is_401_and_one_without_api_version_is_400() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(emulator.baseUrl()
                        .resolve(RESERVATIONS + "pledge-x?api-version=2022-11-01")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(emulator.baseUrl()
                        .resolve(RESERVATIONS + "pledge-x")).header("Authorization", "Bearer t").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(noVersion.body()).contains("MissingApiVersionParameter");
    }

    @Test
    void a_reset_after_commit_fault_loses_the_answer_but_keeps_the_order() {
        emulator.inject(FaultSpec.of(Cloud.AZURE, "azure-reservation", "ReservationOrderAlias_Create",
                FaultKind.RESET_AFTER_COMMIT, 1));

        assertThatThrownBy(() -> http.send(request("PUT", RESERVATIONS + "pledge-alias-7",
                reservationBody("Standard_D2s_v3", 1)), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(send("GET", RESERVATIONS + "pledge-alias-7?api-version=2022-11-01", null).statusCode()).isEqualTo(200);
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).hasSize(1);
    }

    @Test
    void an_error_fault_answers_in_arms_error_shape() {
        emulator.inject(FaultSpec.error(Cloud.AZURE, "azure-reservation", "ReservationOrderAlias_Get", 1, 503, null));

        HttpResponse<String> get = send("GET", RESERVATIONS + "pledge-alias-8?api-version=2022-11-01", null);

        assertThat(get.statusCode()).isEqualTo(503);
        assertThat(get.body()).contains("\"code\" : \"ServiceUnavailable\"");
    }

    @Test
    void a_throttle_fault_answers_429_too_many_requests_and_buys_nothing() {
        emulator.inject(FaultSpec.of(Cloud.AZURE, "azure-reservation", "ReservationOrderAlias_Create", FaultKind.THROTTLE, 1));

        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-alias-9", reservationBody("Standard_D2s_v3", 1));

        assertThat(put.statusCode()).isEqualTo(429);
        assertThat(put.body()).contains("TooManyRequests");
        assertThat(put.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(control.commitments()).isEmpty();
    }

    // ---- plumbing ----

    private HttpRequest request(String method, String pathAndQuery, String body) {
        String url = pathAndQuery.contains("?") ? pathAndQuery : pathAndQuery + "?api-version=2022-11-01";
        return HttpRequest.newBuilder(emulator.baseUrl().resolve(url)).header("Authorization", "Bearer emulator")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) {
        try {
            return http.send(request(method, pathAndQuery, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pathAndQuery(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + "?" + u.getRawQuery();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return r.body().isBlank() ? Map.of() : Json.read(r.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(HttpResponse<String> r) {
        return (Map<String, Object>) json(r).get("properties");
    }
}
