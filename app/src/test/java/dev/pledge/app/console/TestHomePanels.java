package dev.pledge.app.console;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.Optional;

/**
 * A Home section as the budget capability would contribute one: shown to one person only, so the
 * other console tests see Home as it is today.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestHomePanels {
    static final String PERSON = "budget-owner";

    @Bean
    HomePanel testBudgets() {
        return new HomePanel() {
            @Override
            public int order() {
                return 10;
            }

            @Override
            public String template() {
                return "console/panels/test-budgets";
            }

            @Override
            public Optional<Object> model(Person person) {
                return person.id().equals(PERSON) ? Optional.of("platform: 40 % of 10000 USD used") : Optional.empty();
            }
        };
    }
}
