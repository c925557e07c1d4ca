package dev.pledge.app.notification;

/** Sends one notification to one recipient of a channel. Throws when it was not delivered. */
interface NotificationChannel {
    /** {@code email}, {@code webhook} or {@code log}: the channel column of a delivery. */
    String channel();

    void send(Notification notification, String target, int attempt) throws Exception;
}
