package dev.pledge.app.notification;

import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who hears of a notification and writes one delivery per channel and recipient, in one
 * transaction with marking it routed: a notification is routed once, and each delivery then retries on
 * its own (a webhook that is down does not send the mail again).
 */
class NotificationRouter {
    private final NotificationStore store;
    private final TransactionTemplate tx;
    private final NotificationProperties properties;
    private final boolean email;

    /** @param email whether the email channel is on (a mail sender and a from address are configured) */
    NotificationRouter(NotificationStore store, TransactionTemplate tx, NotificationProperties properties,
                       boolean email) {
        this.store = store;
        this.tx = tx;
        this.properties = properties;
        this.email = email;
    }

    /** Routes up to {@code limit} notifications; returns how many. */
    int routePending(int limit) {
        Integer n = tx.execute(status -> {
            List<Notification> pending = store.lockUnrouted(limit);
            for (Notification notification : pending) {
                store.route(notification.id(), targets(notification));
            }
            return pending.size();
        });
        return n == null ? 0 : n;
    }

    Set<DeliveryTarget> targets(Notification n) {
        Set<DeliveryTarget> targets = new LinkedHashSet<>();
        if (properties.log()) {
            targets.add(new DeliveryTarget(DeliveryTarget.LOG, DeliveryTarget.LOG));
        }
        if (email) {
            for (String address : addresses(n)) {
                targets.add(new DeliveryTarget(DeliveryTarget.EMAIL, address));
            }
        }
        for (NotificationProperties.Webhook w : properties.webhooks()) {
            if (w.wants(n.event())) {
                targets.add(new DeliveryTarget(DeliveryTarget.WEBHOOK, w.name()));
            }
        }
        return targets;
    }

    /**
     * The configured list for the event; for a pending approval, every owner of an APPROVER key; for what
     * became of a purchase, its requester. Never the requester for their own approval request.
     */
    private Set<String> addresses(Notification n) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String a : properties.recipientsOf(n.event())) {
            addresses.add(a.toLowerCase(Locale.ROOT));
        }
        if (n.event().subject() != NotificationEvent.Subject.PURCHASE || n.executionId() == null) {
            return addresses;
        }
        Optional<String> requester = store.requester(n.executionId());
        if (n.event() == NotificationEvent.PURCHASE_PENDING_APPROVAL) {
            if (properties.email().notifyApprovers()) {
                addresses.addAll(store.approverOwners());
            }
            requester.ifPresent(addresses::remove);
        } else if (properties.email().notifyRequester()) {
            requester.ifPresent(addresses::add);
        }
        addresses.removeIf(a -> !NotificationProperties.isAddress(a));
        return addresses;
    }
}
