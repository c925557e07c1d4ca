package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.testing.SharedEmulator;
import dev.pledge.common.model.Cloud;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console end to end in Chromium: a requester signs in at the identity provider, asks for a price and
 * requests a purchase in the form, cannot approve it (no button, and a forged POST is refused), signs out;
 * an approver signs in, finds it on Home, approves it, and watches it succeed; the emulated cloud holds
 * the commitment the page shows. Screenshots of the pages go to docs/console/.
 */
@ConsoleAppTest
class ConsoleEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Autowired
    AccountService accounts;
    @Autowired
    dev.pledge.app.insight.InsightRefresher insights;

    private Browser browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void a_requester_asks_and_another_person_approves_and_the_cloud_holds_the_commitment() throws Exception {
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        var account = accounts.create(new NewAccount(Cloud.AWS, externalId, "orders production", null));
        browser = Browser.open(port);
        MockIdentityProvider.drain();

        browser.go("/console");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.screenshot("sign-in");
        // Rita is in both groups: only four-eyes keeps her from approving her own purchase
        signIn("rita", "rita@example.com", "[\"platform-team\", \"finops-approvers\"]");
        assertThat(browser.text("#person")).isEqualTo("rita@example.com");
        assertThat(browser.text(".who .roles")).contains("APPROVER", "REQUESTER");
        List<RecordedRequest> idp = MockIdentityProvider.drain();
        RecordedRequest authorize = idp.stream().filter(r -> r.getPath() != null && r.getPath().contains("/authorize"))
                .findFirst().orElseThrow(() -> new AssertionError("no authorization request reached the IdP: " + idp));
        assertThat(authorize.getPath()).contains("code_challenge=", "code_challenge_method=S256",
                "client_id=" + MockIdentityProvider.CLIENT_ID, "scope=openid");

        browser.find("nav a[href='/console/purchases/new']").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#check-price"));
        new Select(browser.find("#account")).selectByValue(account.id().toString());
        new Select(browser.find("#type")).selectByValue("aws-rds");
        browser.find("#description").sendKeys("two RDS nodes for the orders database");
        browser.find("#region").sendKeys("us-east-1");
        browser.find("#offering").sendKeys("db.r6g.large");
        browser.find("#quantity").clear();
        browser.find("#quantity").sendKeys("2");
        browser.find("#payment").sendKeys("no-upfront");
        browser.find("#attributes").sendKeys("productDescription=postgresql");
        browser.find("#check-price").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#quote") || browser.has("main .problem"));
        assertThat(browser.has("#quote")).as(browser.text("main")).isTrue();
        assertThat(browser.text("#quote")).contains("Dry run", "2 × db.r6g.large");
        assertThat(browser.text("#quote .price")).matches(".*\\d.*(USD).*");
        browser.screenshot("new-purchase");
        browser.find("#request").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#purchase-id"));
        assertThat(browser.path()).startsWith("/console/purchases/");
        String id = browser.text("#purchase-id");
        assertThat(browser.find("#live [data-status]").getAttribute("data-status")).isEqualTo("PENDING_APPROVAL");
        assertThat(browser.text("#requested-by")).isEqualTo("rita@example.com");
        assertThat(browser.has("#approve")).as("Approve shown to the requester").isFalse();
        assertThat(browser.has("#cancel")).as("the requester may cancel her own purchase").isTrue();

        String session = browser.cookie("JSESSIONID");
        String csrf = browser.find("form input[name=_csrf]").getAttribute("value");
        assertThat(post("/console/purchases/" + id + "/approve", session, null).statusCode())
                .as("approve without a CSRF token").isEqualTo(403);
        HttpResponse<String> own = post("/console/purchases/" + id + "/approve", session, csrf);
        assertThat(own.statusCode()).as("the requester approving with a valid token: " + own.body()).isEqualTo(403);
        assertThat(own.body()).contains("four-eyes");

        browser.find("#sign-out").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().startsWith("/console/sign-in"));
        assertThat(browser.path()).isEqualTo("/console/sign-in?signed-out");
        browser.go("/console/purchases/" + id);
        assertThat(browser.path()).as("signed out means signed out").isEqualTo("/console/sign-in");

        signIn("ada", "ada@example.com", "[\"finops-approvers\"]");
        assertThat(browser.text("#waiting")).contains("two RDS nodes for the orders database", "rita@example.com");
        browser.driver.findElement(By.linkText("two RDS nodes for the orders database")).click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#purchase-id"));
        assertThat(browser.text("#purchase-id")).isEqualTo(id);
        assertThat(browser.text("#items")).contains("db.r6g.large", externalId);
        // a slow cloud, so the page shows the purchase running and must update itself (htmx), not be reloaded
        Duration latency = SharedEmulator.get().latency();
        SharedEmulator.get().setLatency(Duration.ofSeconds(2));
        try {
            browser.find("#approve").click();
            browser.await(Duration.ofSeconds(20), d -> browser.has(".notice"));
            assertThat(browser.text(".notice")).isEqualTo("Purchase approved.");
            assertThat(browser.find("#live [data-status]").getAttribute("data-status")).isIn("APPROVED", "RUNNING");
            ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("window.pledgeNotReloaded = true");
            browser.await(Duration.ofSeconds(60), d -> "SUCCEEDED".equals(
                    browser.find("#live [data-status]").getAttribute("data-status")));
            assertThat(((org.openqa.selenium.JavascriptExecutor) browser.driver)
                    .executeScript("return window.pledgeNotReloaded === true")).as("updated in place").isEqualTo(true);
        } finally {
            SharedEmulator.get().setLatency(latency);
        }
        String commitmentId = browser.find("#items tbody tr td:nth-child(8)").getText();
        assertThat(commitmentId).isNotBlank();
        assertThat(browser.text("#timeline")).contains("Requested", "rita@example.com", "Approved", "ada@example.com",
                "Succeeded");
        assertThat(browser.has("#approve")).isFalse();
        browser.screenshot("purchase");
        // the print layout approvers attach to change tickets: facts, items and audit trail, no navigation or buttons
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver).executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("media", "print"));
        assertThat(browser.find("header.top").isDisplayed()).isFalse();
        assertThat(browser.find("#timeline").isDisplayed()).isTrue();
        assertThat(browser.find("#items").isDisplayed()).isTrue();
        browser.screenshot("purchase-print");
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver).executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("media", ""));

        HttpResponse<String> held = HTTP.send(HttpRequest.newBuilder(URI.create(SharedEmulator.get().baseUrl()
                + "/__pledge/commitments")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(held.body()).contains(commitmentId);

        // the inventory, once refreshed from the cloud, contributes its Home section (a HomePanel)
        insights.refreshAll(progress -> { });
        browser.go("/console");
        assertThat(browser.text("#commitments")).contains("Commitments held and expiring", "aws-rds");
        assertThat(browser.text("#bought")).contains("aws-rds");
        assertThat(browser.has("#ladder-chart rect.bar-aws")).isTrue();
        assertThat(browser.find("#ladder-table").getAttribute("textContent")).contains("AWS");
        browser.screenshot("home");
    }

    private void signIn(String subject, String email, String groupsJson) {
        browser.go("/console/sign-in");
        browser.find("#sso").click();
        browser.find("input[name=username]").sendKeys(subject);
        browser.find("textarea[name=claims]").sendKeys("{\"email\": \"" + email + "\", \"groups\": " + groupsJson + "}");
        browser.find("input[type=submit]").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().equals("/console"));
    }

    private HttpResponse<String> post(String path, String session, String csrf) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Cookie", "JSESSIONID=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(csrf == null ? "" : "_csrf=" + java.net.URLEncoder.encode(
                        csrf, java.nio.charset.StandardCharsets.UTF_8)));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
