package dev.pledge.app.console;

import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.PriceQuote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices from the executors' offering lookups ({@code quote}), in words. A lookup that fails or knows
 * no price says so; it never stops a page from showing.
 */
@Component
class Quotes {
    static final String UNKNOWN = "no price from the cloud";
    private static final Logger log = LoggerFactory.getLogger(Quotes.class);
    private final ExecutorRegistry executors;

    Quotes(ExecutorRegistry executors) {
        this.executors = executors;
    }

    String quote(CommitmentRequest request) {
        try {
            if (!executors.supports(request.type())) {
                return UNKNOWN;
            }
            return executors.executor(request.type()).quote(request).map(Quotes::words).orElse(UNKNOWN);
        } catch (RuntimeException e) {
            log.info("price lookup for {} {} failed: {}", request.type().slug(), request.offering(), e.toString());
            return UNKNOWN + " (the lookup failed)";
        }
    }

    Map<Integer, String> forItems(List<ExecutionItem> items) {
        Map<Integer, String> out = new HashMap<>();
        for (ExecutionItem i : items) {
            out.put(i.position(), quote(i.request()));
        }
        return out;
    }

    static String words(PriceQuote q) {
        StringBuilder sb = new StringBuilder();
        if (q.upfront() != null && q.upfront().signum() != 0) {
            sb.append(amount(q.upfront())).append(' ').append(q.currency()).append(" upfront");
        }
        if (q.recurring() != null && q.recurring().signum() != 0) {
            if (!sb.isEmpty()) {
                sb.append(" + ");
            }
            sb.append(amount(q.recurring())).append(' ').append(q.currency()).append(" per ").append(q.recurringUnit());
        }
        return sb.isEmpty() ? "0 " + q.currency() : sb.toString();
    }

    private static String amount(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}
