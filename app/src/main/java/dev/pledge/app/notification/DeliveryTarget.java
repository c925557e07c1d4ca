package dev.pledge.app.notification;

/** Where one notification goes: a channel ({@code email}, {@code webhook}, {@code log}) and a recipient in it. */
record DeliveryTarget(String channel, String target) {
    static final String EMAIL = "email";
    static final String WEBHOOK = "webhook";
    static final String LOG = "log";
}
