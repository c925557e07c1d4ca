package dev.pledge.app.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification to the log: demo mode's channel, and a trace beside the real ones. */
class LogChannel implements NotificationChannel {
    private static final Logger log = LoggerFactory.getLogger("dev.pledge.notification");

    private final ConsoleLink console;

    LogChannel(ConsoleLink console) {
        this.console = console;
    }

    @Override
    public String channel() {
        return DeliveryTarget.LOG;
    }

    @Override
    public void send(Notification notification, String target, int attempt) {
        NotificationText text = new NotificationText(notification, console);
        log.info("notification {} {}: {}{}", notification.id(), notification.event().wireName(), text.summary(),
                text.link() == null ? "" : " " + text.link());
    }
}
