package dev.pledge.app.notification;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Wires notifications. The outbox is written by the database whatever is configured here; the senders
 * run unless {@code pledge.notifications.enabled=false}. Email is on when Spring's mail sender exists
 * ({@code spring.mail.host}) and {@code pledge.notifications.email.from} is set.
 */
@Configuration(proxyBeanMethods = false)
public class NotificationConfiguration {
    private static final Logger log = LoggerFactory.getLogger(NotificationConfiguration.class);

    @Bean
    NotificationStore notificationStore(NamedParameterJdbcTemplate jdbc) {
        return new NotificationStore(jdbc);
    }

    @Bean
    NotificationMetrics notificationMetrics(ObjectProvider<MeterRegistry> registry, NotificationStore store) {
        return new NotificationMetrics(registry.getIfAvailable(SimpleMeterRegistry::new), store);
    }

    @Bean
    NotificationChannels notificationChannels(NotificationProperties properties, ConsoleLink console,
                                              ObjectProvider<JavaMailSender> mail) {
        return NotificationChannels.of(properties, console, mail.getIfAvailable());
    }

    @Bean
    @ConditionalOnProperty(prefix = "pledge.notifications", name = "enabled", havingValue = "true", matchIfMissing = true)
    NotificationSenders notificationSenders(NotificationStore store, TransactionTemplate tx,
                                            NotificationProperties properties, NotificationChannels channels,
                                            NotificationMetrics metrics) {
        NotificationRouter router = new NotificationRouter(store, tx, properties, channels.email());
        Backoff backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        String replica = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        log.info("notifications: {} sender(s); channels {}; events routed by configuration: {}",
                properties.dispatcherThreads(), channels.names(), properties.routedEvents().stream()
                        .map(NotificationEvent::wireName).toList());
        return new NotificationSenders(i -> new NotificationDispatcher(store, router, channels.list(), metrics,
                properties, backoff, replica + "-" + i), properties.dispatcherThreads(), properties.pollInterval());
    }

    @Bean
    @ConditionalOnProperty(prefix = "pledge.notifications", name = "enabled", havingValue = "true", matchIfMissing = true)
    CommitmentExpiryAnnouncer commitmentExpiryAnnouncer(NamedParameterJdbcTemplate jdbc, LockProvider locks,
                                                        NotificationProperties properties) {
        return new CommitmentExpiryAnnouncer(jdbc, new DefaultLockingTaskExecutor(locks),
                properties.commitmentExpiryDays(), properties.commitmentExpiryInterval());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "host";
        }
    }

    /** The channels this process can send on. */
    record NotificationChannels(List<NotificationChannel> list, boolean email) {
        static NotificationChannels of(NotificationProperties properties, ConsoleLink console, JavaMailSender mail) {
            List<NotificationChannel> channels = new ArrayList<>();
            channels.add(new LogChannel(console));
            channels.add(new WebhookChannel(properties.webhooks(), console));
            boolean email = false;
            if (mail != null) {
                if (properties.email().from() == null) {
                    throw new IllegalArgumentException("pledge.notifications.email.from is required when "
                            + "spring.mail.host is set: the address notifications are sent from");
                }
                if (mail instanceof JavaMailSenderImpl impl) {
                    // JavaMail waits forever by default; a hung SMTP server must not hold a sender
                    String millis = String.valueOf(properties.email().timeout().toMillis());
                    for (String p : List.of("connectiontimeout", "timeout", "writetimeout")) {
                        impl.getJavaMailProperties().putIfAbsent("mail.smtp." + p, millis);
                        impl.getJavaMailProperties().putIfAbsent("mail.smtps." + p, millis);
                    }
                }
                channels.add(new EmailChannel(mail, properties.email().from(), console));
                email = true;
            }
            return new NotificationChannels(List.copyOf(channels), email);
        }

        List<String> names() {
            return list.stream().map(NotificationChannel::channel).toList();
        }
    }
}
