package dev.pledge.app.notification;

import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Mails a notification to one address through Spring's {@link JavaMailSender} (SMTP, {@code spring.mail.*}):
 * plain text and HTML alternatives, with the console link and the notification id in a header, so a
 * mail filter can drop a duplicate.
 */
class EmailChannel implements NotificationChannel {
    private final JavaMailSender sender;
    private final String from;
    private final ConsoleLink console;

    EmailChannel(JavaMailSender sender, String from, ConsoleLink console) {
        this.sender = sender;
        this.from = from;
        this.console = console;
    }

    @Override
    public String channel() {
        return DeliveryTarget.EMAIL;
    }

    @Override
    public void send(Notification notification, String target, int attempt) throws Exception {
        NotificationText text = new NotificationText(notification, console);
        MimeMessage message = sender.createMimeMessage();
        MimeMessageHelper mail = new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED,
                "UTF-8");
        mail.setFrom(from);
        mail.setTo(target);
        mail.setSubject(text.subject());
        mail.setText(String.join("\n", text.lines()) + "\n", text.html());
        message.setHeader(WebhookChannel.ID, notification.id().toString());
        message.setHeader(WebhookChannel.EVENT, notification.event().wireName());
        sender.send(message);
    }
}
