package dev.pledge.app.notification;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * One outbox row as a sender sees it. The {@code id} is the same on every attempt and every channel:
 * receivers drop duplicates by it.
 *
 * @param payload what the event is about, as it was when it happened
 */
public record Notification(UUID id, NotificationEvent event, Instant occurredAt, UUID executionId, JsonNode payload) {
}
