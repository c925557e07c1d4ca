package dev.pledge.app.notification;

/**
 * A delivery a sender has claimed: send {@code notification} over {@code channel} to {@code target}.
 *
 * @param attempt this claim's number (1 for the first); a sender's report applies only to its own claim
 */
record ClaimedDelivery(Notification notification, String channel, String target, int attempt) {
    String describe() {
        return notification.event().wireName() + " notification " + notification.id() + " to " + channel + " "
                + target + " (attempt " + attempt + ")";
    }
}
