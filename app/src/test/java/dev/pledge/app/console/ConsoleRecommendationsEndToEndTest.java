package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.testing.SharedEmulator;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From the cloud's recommendation to a held commitment in Chromium: usage seeded in the emulated cloud; an
 * approver presses Refresh and watches it finish (the page updates itself); a requester filters the
 * recommendations by account, presses Propose, and lands on the purchase she now owns; the approver approves it;
 * after the next refresh the Commitments page lists the commitment with a link to that purchase. Screenshots
 * of both pages go to docs/console/.
 */
@ConsoleAppTest
class ConsoleRecommendationsEndToEndTest {
    @LocalServerPort
    int port;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;
    @Autowired
    BackgroundRefresh refresh;

    private Browser browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** What the account runs in the emulated AWS: instances, a database and compute spend. */
    private static void usage(String externalId) throws Exception {
        String lines = "[" + String.join(",",
                line(externalId, "aws-ec2", "us-east-1", "m5.large", "4", "{\"productDescription\":\"Linux/UNIX\"}"),
                line(externalId, "aws-rds", "us-east-1", "db.r6g.large", "3", "{\"productDescription\":\"postgresql\"}"),
                line(externalId, "aws-savings-plan", "global", "Compute", "1.5", null)) + "]";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(SharedEmulator.get().baseUrl() + "/__pledge/usage"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String line(String account, String type, String region, String product, String units,
                               String attributes) {
        return "{\"cloud\":\"aws\",\"type\":\"" + type + "\",\"account\":\"" + account + "\",\"region\":\"" + region
                + "\",\"product\":\"" + product + "\",\"units\":\"" + units + "\""
                + (attributes == null ? "" : ",\"attributes\":" + attributes) + "}";
    }

    @Test
    void an_approver_refreshes_a_requester_proposes_and_the_commitment_bought_links_to_its_purchase() throws Exception {
        String external = ConsoleRecommendationsTest.externalId();
        UUID account = accounts.create(new NewAccount(Cloud.AWS, external, "payments production", null)).id();
        usage(external);
        // a refresh another test started would not see this usage; the one pressed below must start after it
        await().atMost(Duration.ofSeconds(60)).until(() -> !refresh.state().running());
        browser = Browser.open(port);

        signIn("ada", "ada@example.com", "[\"finops-approvers\"]");
        browser.find("nav a[href='/console/recommendations']").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#refresh-button"));
        pressRefreshAndWait();
        browser.find("#refresh-reload").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#recommendations tbody tr[data-recommendation]"));
        assertThat(browser.has("button[id^='propose-']")).as("Propose shown to an approver who is not a requester")
                .isFalse();
        signOut();

        signIn("paul", "paul@example.com", "[\"platform-team\"]");
        browser.find("nav a[href='/console/recommendations']").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#recommendations"));
        assertThat(browser.has("#refresh-button")).as("Refresh shown to a requester").isFalse();
        new Select(browser.find("#f-account")).selectByValue(account.toString());
        browser.find("#filter").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().contains("account=" + account));
        assertThat(browser.all("#recommendations tbody tr[data-recommendation]")).hasSize(3);
        assertThat(browser.text("#recommendations")).contains("3 × db.r6g.large", "4 × m5.large", "per hour",
                "payments production (" + external + ")", "USD");
        assertThat(browser.text("#freshness")).contains("as of", "UTC");
        browser.screenshot("recommendations");

        WebElement rds = browser.driver.findElement(By.xpath(
                "//table[@id='recommendations']//tr[@data-recommendation][contains(., 'db.r6g.large')]"));
        String recommendation = rds.getAttribute("data-recommendation");
        rds.findElement(By.id("propose-" + recommendation)).click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#purchase-id"));
        String purchase = browser.text("#purchase-id");
        assertThat(browser.path()).isEqualTo("/console/purchases/" + purchase);
        assertThat(browser.text(".notice")).contains("Purchase proposed from the recommendation");
        assertThat(browser.text("#requested-by")).isEqualTo("paul@example.com");
        assertThat(browser.find("#live [data-status]").getAttribute("data-status")).isEqualTo("PENDING_APPROVAL");
        assertThat(browser.text("#items")).contains("db.r6g.large", external);
        assertThat(executions.get(UUID.fromString(purchase)).orElseThrow().execution().createdBy())
                .isEqualTo("paul@example.com");
        browser.go("/console/recommendations?account=" + account);
        assertThat(browser.has("#proposed-" + recommendation)).as("the row links to its purchase now").isTrue();
        signOut();

        signIn("ada", "ada@example.com", "[\"finops-approvers\"]");
        browser.go("/console/purchases/" + purchase);
        browser.find("#approve").click();
        browser.await(Duration.ofSeconds(60), d -> "SUCCEEDED".equals(
                browser.find("#live [data-status]").getAttribute("data-status")));
        browser.find("nav a[href='/console/commitments']").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#refresh-button"));
        pressRefreshAndWait();
        browser.go("/console/commitments?account=" + account);
        assertThat(browser.all("#commitments tbody tr[data-commitment]")).hasSize(1);
        assertThat(browser.text("#commitments")).contains("3 × db.r6g.large", "payments production", "Active",
                "purchase " + purchase.substring(0, 8));
        assertThat(browser.text("#freshness")).contains("as the clouds listed it");
        browser.screenshot("commitments");
        browser.find("#commitments a.purchase-link").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has("#purchase-id"));
        assertThat(browser.text("#purchase-id")).isEqualTo(purchase);
    }

    /** Presses Refresh now; the status part of the page polls until the refresh has finished. */
    private void pressRefreshAndWait() {
        browser.find("#refresh-button").click();
        browser.await(Duration.ofSeconds(20), d -> browser.has(".notice"));
        assertThat(browser.text(".notice")).contains("Refresh started");
        browser.await(Duration.ofSeconds(60), d -> "finished".equals(
                browser.find("#refresh-state").getAttribute("data-state")));
        assertThat(browser.text("#refresh-outcome")).contains("source(s) refreshed");
    }

    private void signIn(String subject, String email, String groupsJson) {
        browser.go("/console/sign-in");
        browser.find("#sso").click();
        browser.find("input[name=username]").sendKeys(subject);
        browser.find("textarea[name=claims]").sendKeys("{\"email\": \"" + email + "\", \"groups\": " + groupsJson + "}");
        browser.find("input[type=submit]").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().equals("/console"));
    }

    private void signOut() {
        browser.find("#sign-out").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().startsWith("/console/sign-in"));
    }
}
