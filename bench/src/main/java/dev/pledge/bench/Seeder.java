package dev.pledge.bench;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.CommitmentType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts benchmark data in place. Accounts and one template execution go through the app's own
 * services (so every field is validated exactly as the API would); bulk executions are then
 * cloned from the template in SQL, each item with one of the accounts in turn, so that purchases
 * of different executions do not queue on the same (account, commitment type) purchase lock.
 */
final class Seeder {
    static final String BENCH_DESCRIPTION = "bench";
    static final String REQUESTER = "bench-requester";
    static final String APPROVER = "bench-approver";

    /** One line item's offering, as the API takes it; the account is filled in per execution. */
    record ItemSpec(CommitmentType type, String region, String offering, int quantity, String term, String payment,
                    Map<String, String> attributes) {
        NewItem forAccount(UUID accountId) {
            return new NewItem(accountId, type.slug(), region, offering, quantity, term, payment, attributes);
        }
    }

    private Seeder() {
    }

    /** {@code n} accounts of the item's cloud with 12-digit external ids starting at {@code firstId}. */
    static List<Account> accounts(AccountService service, CommitmentType type, int n, long firstId) {
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String external = switch (type.cloud()) {
                case AWS -> String.format("%012d", firstId + i);
                case AZURE -> "/subscriptions/" + new UUID(firstId, i);
                case GCP -> "bench-project-" + (firstId + i);
            };
            out.add(service.create(new NewAccount(type.cloud(), external, "bench account " + i, Map.of())));
        }
        return out;
    }

    /** An execution created through the service, PENDING_APPROVAL, with {@code items} copies of the spec. */
    static CreatedExecution create(ExecutionService service, Account account, ItemSpec spec, int items,
                                   String description) {
        List<NewItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(spec.forAccount(account.id()));
        }
        return service.create(NewExecution.of(REQUESTER, description, list));
    }

    /**
     * Clones the template's items into {@code n} new PENDING_APPROVAL executions (description
     * {@value #BENCH_DESCRIPTION}), execution k using the k-th bench account in turn. Tokens are
     * unique per call ({@code salt}).
     */
    static int cloneExecutions(Connection c, UUID template, int n, String salt) throws SQLException {
        String sql = """
                WITH acc AS (SELECT row_number() OVER (ORDER BY external_id) - 1 AS k, id, external_id
                             FROM accounts WHERE name LIKE 'bench account %'),
                     ex AS (INSERT INTO executions (execution_token, status, description, created_by)
                            SELECT encode(sha256(convert_to(? || ':' || g, 'UTF8')), 'hex'), 'PENDING_APPROVAL', ?, ?
                            FROM generate_series(1, ?) g
                            RETURNING id),
                     numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM ex)
                INSERT INTO items (execution_id, position, account_id, type, cloud_account, region, offering, quantity,
                                   term, payment, attributes)
                SELECT numbered.id, t.position, acc.id, t.type, acc.external_id, t.region, t.offering, t.quantity,
                       t.term, t.payment, t.attributes
                FROM numbered
                JOIN acc ON acc.k = numbered.rn % (SELECT count(*) FROM acc)
                CROSS JOIN (SELECT * FROM items WHERE execution_id = ?) t""";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, salt);
            s.setString(2, BENCH_DESCRIPTION);
            s.setString(3, REQUESTER);
            s.setInt(4, n);
            s.setObject(5, template);
            return s.executeUpdate();
        }
    }

    /**
     * Rows {@code from..to} of a long history: finished executions (mostly SUCCEEDED, some FAILED,
     * REJECTED, CANCELED, EXPIRED, a few PENDING_APPROVAL), one every 30 seconds back from now, each
     * with the template's items. Nothing APPROVED or RUNNING, so no engine would pick them up.
     */
    static int history(Connection c, UUID template, long from, long to, String salt) throws SQLException {
        String sql = """
                WITH rows AS (SELECT g, now() - g * interval '30 seconds' AS at,
                                     CASE WHEN g % 100 < 85 THEN 'SUCCEEDED'
                                          WHEN g % 100 < 88 THEN 'FAILED'
                                          WHEN g % 100 < 89 THEN 'PARTIALLY_SUCCEEDED'
                                          WHEN g % 100 < 93 THEN 'REJECTED'
                                          WHEN g % 100 < 96 THEN 'CANCELED'
                                          WHEN g % 100 < 98 THEN 'EXPIRED'
                                          ELSE 'PENDING_APPROVAL' END AS status
                              FROM generate_series(?, ?) g),
                     ex AS (INSERT INTO executions (execution_token, status, description, created_by, created_at,
                                                    approved_by, approved_at, started_at, finished_at,
                                                    rejected_by, rejected_at, reject_reason, canceled_by, canceled_at,
                                                    expired_at, last_error)
                            SELECT encode(sha256(convert_to(? || ':' || g, 'UTF8')), 'hex'), status, 'bench history',
                                   'bench-requester', at,
                                   CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED') THEN 'bench-approver' END,
                                   CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED') THEN at + interval '5 minutes' END,
                                   CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED') THEN at + interval '5 minutes' END,
                                   CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED') THEN at + interval '6 minutes' END,
                                   CASE WHEN status = 'REJECTED' THEN 'bench-approver' END,
                                   CASE WHEN status = 'REJECTED' THEN at + interval '1 hour' END,
                                   CASE WHEN status = 'REJECTED' THEN 'not this quarter' END,
                                   CASE WHEN status = 'CANCELED' THEN 'bench-requester' END,
                                   CASE WHEN status = 'CANCELED' THEN at + interval '1 hour' END,
                                   CASE WHEN status = 'EXPIRED' THEN at + interval '7 days' END,
                                   CASE WHEN status IN ('FAILED', 'PARTIALLY_SUCCEEDED') THEN 'item 0: REJECTED' END
                            FROM rows
                            RETURNING id, status)
                INSERT INTO items (execution_id, position, account_id, type, cloud_account, region, offering, quantity,
                                   term, payment, attributes, status, outcome, commitment_id, attempts)
                SELECT ex.id, t.position, t.account_id, t.type, t.cloud_account, t.region, t.offering, t.quantity,
                       t.term, t.payment, t.attributes,
                       CASE WHEN ex.status = 'SUCCEEDED' THEN 'BOUGHT' WHEN ex.status IN ('FAILED', 'PARTIALLY_SUCCEEDED') THEN 'FAILED' ELSE 'PENDING' END,
                       CASE WHEN ex.status = 'SUCCEEDED' THEN 'BOUGHT' END,
                       CASE WHEN ex.status = 'SUCCEEDED' THEN 'bench-' || ex.id END,
                       CASE WHEN ex.status IN ('SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED') THEN 1 ELSE 0 END
                FROM ex CROSS JOIN (SELECT * FROM items WHERE execution_id = ?) t""";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, from);
            s.setLong(2, to);
            s.setString(3, salt);
            s.setObject(4, template);
            return s.executeUpdate();
        }
    }

    /** Approves every bench execution in one statement (one commit; the trigger notifies the workers). */
    static int approveAll(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE executions SET status = 'APPROVED', approved_by = ?, "
                + "approved_at = now() WHERE status = 'PENDING_APPROVAL' AND description = ?")) {
            s.setString(1, APPROVER);
            s.setString(2, BENCH_DESCRIPTION);
            return s.executeUpdate();
        }
    }
}
