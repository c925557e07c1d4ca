package dev.pledge.app.notification;

import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outbox's deliveries for operators (ADMIN): {@code ?status=failed} lists the dead letters with their last error. */
@RestController
@Tag(name = "Notifications", description = "Deliveries of the notification outbox")
@RequestMapping("/api/v1/notifications")
class NotificationController {
    private static final List<String> STATUSES = List.of("pending", "sent", "failed");
    private final NotificationStore store;

    NotificationController(NotificationStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "Notification deliveries, newest first (ADMIN); status=pending|sent|failed, limit 1-500")
    Map<String, Object> list(@RequestParam(required = false) String status,
                             @RequestParam(required = false, defaultValue = "100") int limit) {
        String s = null;
        if (status != null) {
            s = status.trim().toLowerCase(Locale.ROOT);
            if (!STATUSES.contains(s)) {
                throw new ValidationException("status", "must be one of " + STATUSES + ", was '" + status + "'");
            }
        }
        if (limit < 1 || limit > 500) {
            throw new ValidationException("limit", "must be 1-500, was " + limit);
        }
        List<Map<String, Object>> rows = store.deliveries(s == null ? null : s.toUpperCase(Locale.ROOT), limit)
                .stream().map(NotificationController::json).toList();
        return Map.of("deliveries", rows);
    }

    private static Map<String, Object> json(NotificationStore.DeliveryRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("notificationId", r.notification());
        m.put("event", r.event());
        m.put("occurredAt", r.occurredAt());
        m.put("purchase", r.purchase());
        m.put("channel", r.channel());
        m.put("target", r.target());
        m.put("status", r.status());
        m.put("attempts", r.attempts());
        m.put("lastError", r.lastError());
        m.put("nextAttemptAt", "PENDING".equals(r.status()) ? r.nextAttemptAt() : null);
        m.put("sentAt", r.sentAt());
        m.put("failedAt", r.failedAt());
        return m;
    }
}
