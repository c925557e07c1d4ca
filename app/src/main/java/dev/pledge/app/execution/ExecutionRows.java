package dev.pledge.app.execution;

import dev.pledge.app.database.TextMaps;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.OutcomeKind;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** How executions and items are read from their tables; shared with the engine, which writes them too. */
public final class ExecutionRows {
    /** Select list of {@code executions} (prefix with a table alias where needed). */
    public static final String EXECUTION_COLUMNS = """
            id, execution_token, status, description, not_before, created_by, created_at, approved_by, approved_at,
            rejected_by, rejected_at, reject_reason, canceled_by, canceled_at, expired_at, redriven_by, redriven_at,
            attempt, claims, claimed_by, lease_until, started_at, finished_at, last_error, idempotency_key""";

    public static final String ITEM_COLUMNS = """
            position, account_id, type, cloud_account, region, offering, quantity, term, payment, status, outcome,
            commitment_id, commitment_key, failure_kind, error, attempts, attempt_started_at, attempt_finished_at, """
            + TextMaps.arraysOf("attributes", "attributes");

    public static final RowMapper<Execution> EXECUTION = (rs, n) -> new Execution(
            rs.getObject("id", UUID.class), new ExecutionToken(rs.getString("execution_token")),
            ExecutionStatus.valueOf(rs.getString("status")), rs.getString("description"),
            instant(rs, "not_before"), rs.getString("created_by"), instant(rs, "created_at"),
            rs.getString("approved_by"), instant(rs, "approved_at"), rs.getString("rejected_by"),
            instant(rs, "rejected_at"), rs.getString("reject_reason"), rs.getString("canceled_by"),
            instant(rs, "canceled_at"), instant(rs, "expired_at"), rs.getString("redriven_by"),
            instant(rs, "redriven_at"), rs.getInt("attempt"), rs.getInt("claims"), rs.getString("claimed_by"),
            instant(rs, "lease_until"), instant(rs, "started_at"), instant(rs, "finished_at"),
            rs.getString("last_error"), rs.getString("idempotency_key"));

    public static final RowMapper<ExecutionItem> ITEM = (rs, n) -> new ExecutionItem(
            rs.getInt("position"), rs.getObject("account_id", UUID.class), request(rs),
            ItemStatus.valueOf(rs.getString("status")), optional(OutcomeKind.class, rs.getString("outcome")),
            rs.getString("commitment_id"), rs.getString("commitment_key"),
            optional(FailureKind.class, rs.getString("failure_kind")), rs.getString("error"), rs.getInt("attempts"),
            instant(rs, "attempt_started_at"), instant(rs, "attempt_finished_at"));

    private ExecutionRows() {
    }

    /** The commitment request stored in an item row (needs {@link #ITEM_COLUMNS}). */
    public static CommitmentRequest request(ResultSet rs) throws SQLException {
        String payment = rs.getString("payment");
        return new CommitmentRequest(CommitmentType.fromSlug("type", rs.getString("type")),
                rs.getString("cloud_account"), rs.getString("region"), rs.getString("offering"),
                rs.getInt("quantity"), Term.fromSlug(rs.getString("term")),
                payment == null ? null : PaymentOption.fromSlug(payment), TextMaps.read(rs, "attributes"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static <E extends Enum<E>> E optional(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }
}
