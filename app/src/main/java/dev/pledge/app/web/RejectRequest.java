package dev.pledge.app.web;

/** The body of {@code POST /api/v1/purchases/{id}/reject}: why (required, kept in the audit trail). */
record RejectRequest(String reason) {
}
