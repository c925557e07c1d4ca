package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page in Chromium: a language, one h1, a label for every control, a name for every button, the
 * charts described; and a keyboard alone signs in and rejects a purchase with a reason.
 */
@ConsoleAppTest
class ConsoleAccessibilityTest {
    /** Controls without a label, buttons without a name, headings and charts checked in the page itself. */
    private static final String AUDIT = """
            const problems = [];
            if (!document.documentElement.lang) problems.push('html has no lang');
            if (document.querySelectorAll('h1').length !== 1) problems.push('h1 count ' + document.querySelectorAll('h1').length);
            for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
              const labelled = (c.id && document.querySelector('label[for="' + c.id + '"]')) || c.closest('label')
                || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby');
              if (!labelled) problems.push('no label: ' + (c.id || c.name));
            }
            for (const b of document.querySelectorAll('button, a')) {
              if (!(b.textContent.trim() || b.getAttribute('aria-label'))) problems.push('no name: ' + b.outerHTML);
            }
            for (const s of document.querySelectorAll('svg[role=img]')) {
              const ids = (s.getAttribute('aria-labelledby') || '').split(' ').filter(x => x);
              if (!ids.length || ids.some(i => !document.getElementById(i))) problems.push('chart without a description');
            }
            return problems;
            """;

    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;

    private Browser browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void every_page_labels_its_controls_and_a_keyboard_alone_signs_in_and_rejects_a_purchase() {
        String secret = keys.create("keyboard person", "keyboard person", EnumSet.of(Role.VIEWER, Role.REQUESTER, Role.APPROVER,
                Role.ADMIN), "test").secret();
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        UUID account = accounts.create(new NewAccount(Cloud.AWS, externalId, "keyboard", null)).id();
        UUID purchase = executions.create(NewExecution.of("someone-else@example.com", "keyboard purchase", List.of(
                new NewItem(account, "aws-rds", "us-east-1", "db.r6g.large", 1, "1y", "no-upfront",
                        Map.of("productDescription", "postgresql"))))).detail().execution().id();
        browser = Browser.open(port);

        browser.go("/console/sign-in");
        audit("/console/sign-in");
        tabTo("apiKey");
        active().sendKeys(secret, Keys.ENTER);
        browser.await(Duration.ofSeconds(10), d -> browser.path().equals("/console"));

        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        assertThat(active().getText()).as("the first stop is the skip link").isEqualTo("Skip to content");

        for (String page : List.of("/console", "/console/purchases", "/console/purchases/" + purchase,
                "/console/purchases/new", "/console/admin", "/console/recommendations", "/console/commitments")) {
            browser.go(page);
            audit(page);
        }

        browser.go("/console/purchases/" + purchase);
        tabTo(e -> "summary".equals(e.getTagName()));
        active().sendKeys(Keys.ENTER);
        tabTo("reason");
        active().sendKeys("not in this quarter's budget");
        tabTo("reject");
        active().sendKeys(Keys.ENTER);
        browser.await(Duration.ofSeconds(10), d -> "REJECTED".equals(
                browser.find("#live [data-status]").getAttribute("data-status")));
        assertThat(browser.text("#timeline")).contains("Rejected", "keyboard person", "not in this quarter's budget");
    }

    private void audit(String page) {
        @SuppressWarnings("unchecked")
        List<Object> problems = (List<Object>) ((JavascriptExecutor) browser.driver).executeScript(AUDIT);
        assertThat(problems).as(page).isEmpty();
    }

    private WebElement active() {
        return browser.driver.switchTo().activeElement();
    }

    private void tabTo(String id) {
        tabTo(e -> id.equals(e.getAttribute("id")));
    }

    private void tabTo(java.util.function.Predicate<WebElement> target) {
        for (int i = 0; i < 60; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            if (target.test(active())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached the control on " + browser.path());
    }
}
