package dev.pledge.app.notification;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.ValidationException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code pledge.notifications.*}: the outbox dispatcher, recipients and channels. Checked when bound: a
 * bad value refuses to start with a message naming the property. Secrets never appear in
 * {@link #toString()}.
 *
 * @param enabled                  run the dispatcher in this process (the outbox is written regardless)
 * @param dispatcherThreads        senders in this process; every replica may run some (rows are claimed
 *                                 with {@code FOR UPDATE SKIP LOCKED})
 * @param pollInterval             how often an idle sender looks for due deliveries
 * @param batchSize                deliveries claimed at a time by one sender
 * @param maxAttempts              attempts of one delivery before it is dead-lettered (status FAILED)
 * @param initialBackoff           wait after the first failed attempt; doubled per attempt, with jitter
 * @param maxBackoff               the longest wait between attempts
 * @param claimTimeout             how long a claimed delivery stays invisible to other senders; a sender
 *                                 that dies after sending is retried after it (at-least-once); longer than
 *                                 any send can take
 * @param log                      also write every notification to the log (demo mode turns it on)
 * @param email                    the email channel (needs {@code spring.mail.host})
 * @param recipients               email addresses per event wire name, e.g. {@code purchase-failed: [ops@x]}
 * @param webhooks                 webhook receivers
 * @param commitmentExpiryDays     announce a held commitment when it ends within each of these days
 * @param commitmentExpiryInterval how often held commitments are checked for expiry
 */
@ConfigurationProperties("pledge.notifications")
public record NotificationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2") int dispatcherThreads,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("20") int batchSize,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("5m") Duration claimTimeout,
        @DefaultValue("false") boolean log,
        @DefaultValue Email email,
        Map<String, List<String>> recipients,
        List<Webhook> webhooks,
        @DefaultValue({"30", "7"}) List<Integer> commitmentExpiryDays,
        @DefaultValue("1h") Duration commitmentExpiryInterval) {

    static final String P = "pledge.notifications.";
    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+$");

    public NotificationProperties {
        between("dispatcher-threads", dispatcherThreads, 1, 32);
        positive("poll-interval", pollInterval);
        between("batch-size", batchSize, 1, 1000);
        between("max-attempts", maxAttempts, 1, 100);
        positive("initial-backoff", initialBackoff);
        positive("max-backoff", maxBackoff);
        positive("claim-timeout", claimTimeout);
        positive("commitment-expiry-interval", commitmentExpiryInterval);
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException(P + "initial-backoff (" + initialBackoff + ") must not be longer than "
                    + P + "max-backoff (" + maxBackoff + ")");
        }
        email = email == null ? new Email(null, true, true, Duration.ofSeconds(10)) : email;
        recipients = checkRecipients(recipients);
        webhooks = checkWebhooks(webhooks, claimTimeout);
        commitmentExpiryDays = checkDays(commitmentExpiryDays);
        if (email.timeout().multipliedBy(3).compareTo(claimTimeout) >= 0) {
            throw new IllegalArgumentException(P + "claim-timeout (" + claimTimeout + ") must be longer than three "
                    + "times " + P + "email.timeout (" + email.timeout() + "): connect, read and write each take "
                    + "up to it");
        }
    }

    /**
     * @param from            the sender address; required when {@code spring.mail.host} is set
     * @param notifyApprovers mail a pending approval to every owner of an APPROVER key (except the creator)
     * @param notifyRequester mail what became of a purchase to the owner of the key that created it
     * @param timeout         SMTP connect, read and write timeout each
     */
    public record Email(String from, @DefaultValue("true") boolean notifyApprovers,
                        @DefaultValue("true") boolean notifyRequester, @DefaultValue("10s") Duration timeout) {
        public Email {
            if (from != null && !from.isBlank() && !isAddress(from.trim())) {
                throw new IllegalArgumentException(P + "email.from must be an email address, was '" + from + "'");
            }
            from = from == null || from.isBlank() ? null : from.trim();
            positive("email.timeout", timeout);
        }
    }

    /** How a webhook body looks: Pledge's JSON, or a Slack-compatible {@code text} with blocks. */
    public enum Format { JSON, SLACK }

    /**
     * One receiver. Its {@code name} names it in the outbox and the API (never the URL, whose path is a
     * credential for Slack and Teams); the {@code secret} signs each body.
     *
     * @param events         event wire names to send; empty means all
     * @param connectTimeout TCP connect timeout
     * @param readTimeout    how long to wait for the answer
     */
    public record Webhook(String name, URI url, String secret, List<String> events,
                          @DefaultValue("json") Format format, @DefaultValue("5s") Duration connectTimeout,
                          @DefaultValue("10s") Duration readTimeout) {
        public Webhook {
            events = events == null ? List.of() : List.copyOf(events);
        }

        /** Whether this receiver wants {@code event}. */
        boolean wants(NotificationEvent event) {
            return events.isEmpty() || events.contains(event.wireName()) || events.contains("*");
        }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + (url == null ? null : url.getScheme() + "://" + url.getHost()
                    + "/\u2026") + ", secret=" + (secret == null ? null : Masking.mask(secret)) + ", events=" + events
                    + ", format=" + format + "]";
        }
    }

    /** The configured addresses for {@code event}. */
    List<String> recipientsOf(NotificationEvent event) {
        return recipients.getOrDefault(event.wireName(), List.of());
    }

    static boolean isAddress(String s) {
        return s != null && s.length() <= 320 && ADDRESS.matcher(s).matches();
    }

    private static Map<String, List<String>> checkRecipients(Map<String, List<String>> recipients) {
        Map<String, List<String>> checked = new LinkedHashMap<>();
        if (recipients == null) {
            return checked;
        }
        recipients.forEach((event, addresses) -> {
            String field = P + "recipients." + event;
            try {
                NotificationEvent.parse(field, event);
            } catch (ValidationException e) {
                throw new IllegalArgumentException(field + ": " + e.problem());
            }
            List<String> list = new ArrayList<>();
            for (int i = 0; addresses != null && i < addresses.size(); i++) {
                String a = addresses.get(i) == null ? "" : addresses.get(i).trim();
                if (!isAddress(a)) {
                    throw new IllegalArgumentException(field + "[" + i + "] must be an email address, was '"
                            + addresses.get(i) + "'");
                }
                list.add(a);
            }
            checked.put(event, List.copyOf(list));
        });
        return Map.copyOf(checked);
    }

    private static List<Webhook> checkWebhooks(List<Webhook> webhooks, Duration claimTimeout) {
        if (webhooks == null) {
            return List.of();
        }
        List<Webhook> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < webhooks.size(); i++) {
            String w = P + "webhooks[" + i + "].";
            Webhook hook = webhooks.get(i);
            if (hook == null || hook.url() == null) {
                throw new IllegalArgumentException(w + "url is required: where to POST the notifications");
            }
            String scheme = hook.url().getScheme() == null ? "" : hook.url().getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || hook.url().getHost() == null) {
                throw new IllegalArgumentException(w + "url must be an absolute http(s) URL with a host, was '"
                        + hook.url().getScheme() + "://" + hook.url().getHost() + "/\u2026'");
            }
            Format format = hook.format() == null ? Format.JSON : hook.format();
            String secret = hook.secret() == null || hook.secret().isBlank() ? null : hook.secret();
            if (format == Format.JSON && secret == null) {
                throw new IllegalArgumentException(w + "secret is required (at least 16 characters) for format json: "
                        + "receivers check X-Pledge-Signature with it");
            }
            if (secret != null && secret.length() < 16) {
                throw new IllegalArgumentException(w + "secret must be at least 16 characters, was "
                        + secret.length());
            }
            for (int e = 0; e < hook.events().size(); e++) {
                String event = hook.events().get(e);
                if (!"*".equals(event)) {
                    try {
                        NotificationEvent.parse(w + "events[" + e + "]", event);
                    } catch (ValidationException x) {
                        throw new IllegalArgumentException(w + "events[" + e + "]: " + x.problem());
                    }
                }
            }
            Duration connect = hook.connectTimeout() == null ? Duration.ofSeconds(5) : hook.connectTimeout();
            Duration read = hook.readTimeout() == null ? Duration.ofSeconds(10) : hook.readTimeout();
            positive("webhooks[" + i + "].connect-timeout", connect);
            positive("webhooks[" + i + "].read-timeout", read);
            if (connect.plus(read).compareTo(claimTimeout) >= 0) {
                throw new IllegalArgumentException(P + "claim-timeout (" + claimTimeout + ") must be longer than "
                        + w + "connect-timeout + read-timeout (" + connect.plus(read) + "), or a slow send would be "
                        + "claimed again while it is still going");
            }
            String name = hook.name() == null || hook.name().isBlank() ? hook.url().getHost() : hook.name().trim();
            if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(w + "name must be at most 100 characters with no control "
                        + "characters");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(w + "name '" + name + "' is used by an earlier webhook (the host "
                        + "is the default name): give each webhook a distinct name");
            }
            checked.add(new Webhook(name, hook.url(), secret, hook.events(), format, connect, read));
        }
        return List.copyOf(checked);
    }

    private static List<Integer> checkDays(List<Integer> days) {
        TreeSet<Integer> sorted = new TreeSet<>();
        for (int i = 0; days != null && i < days.size(); i++) {
            Integer d = days.get(i);
            if (d == null || d < 1 || d > 3650) {
                throw new IllegalArgumentException(P + "commitment-expiry-days[" + i + "] must be 1-3650, was " + d);
            }
            sorted.add(d);
        }
        return List.copyOf(sorted);
    }

    /** The events that reach at least one configured recipient list or webhook (for the startup log). */
    Set<NotificationEvent> routedEvents() {
        Set<NotificationEvent> events = EnumSet.noneOf(NotificationEvent.class);
        for (NotificationEvent e : NotificationEvent.values()) {
            if (!recipientsOf(e).isEmpty() || webhooks.stream().anyMatch(w -> w.wants(e))) {
                events.add(e);
            }
        }
        return events;
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(P + name + " must be a positive duration (e.g. 30s), was " + value);
        }
    }

    private static void between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(P + name + " must be " + min + "-" + max + ", was " + value);
        }
    }
}
