package dev.pledge.app.account;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code pledge keys rotate-master}: re-wraps every account's data key (and those of pending admin
 * requests) from the current master key to a new one, in one transaction. The sealed values and their
 * fingerprints do not change; afterwards only the new master key opens them.
 */
public final class MasterKeyRotation {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MasterKeyRotation() {
    }

    public record Rotated(int accounts, int adminRequests, String from, String to) {
    }

    public static Rotated rotate(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, MasterKey current,
                                 MasterKey next) {
        CredentialVault vault = new CredentialVault(current);
        return tx.execute(status -> {
            jdbc.getJdbcTemplate().execute("LOCK TABLE accounts, admin_requests IN SHARE ROW EXCLUSIVE MODE");
            record Row(UUID id, SealedCredentials sealed) {
            }
            List<Row> rows = jdbc.query("SELECT id, credential_fields, credentials_fingerprint, credentials_sealed, "
                    + "data_key_wrapped, master_key_id FROM accounts WHERE credentials_sealed IS NOT NULL",
                    new MapSqlParameterSource(), (rs, n) -> new Row(rs.getObject("id", UUID.class),
                            AccountService.sealed(rs)));
            for (Row r : rows) {
                SealedCredentials rewrapped = vault.rewrap(r.sealed(), next);
                jdbc.update("UPDATE accounts SET data_key_wrapped = :wrapped, master_key_id = :masterKeyId "
                        + "WHERE id = :id", AccountService.sealedParameters(rewrapped).addValue("id", r.id()));
            }
            List<Map<String, Object>> pending = jdbc.queryForList("SELECT id, payload::text AS payload FROM "
                    + "admin_requests WHERE status = 'PENDING' AND payload -> 'credentials' IS NOT NULL", new MapSqlParameterSource());
            int requests = 0;
            for (Map<String, Object> p : pending) {
                Map<String, Object> payload = JSON.readValue((String) p.get("payload"), new TypeReference<>() {
                });
                @SuppressWarnings("unchecked")
                SealedCredentials sealed = SealedCredentials.fromPayloadMap((Map<String, Object>) payload.get("credentials"));
                if (sealed.none()) {
                    continue;
                }
                payload.put("credentials", vault.rewrap(sealed, next).toPayloadMap());
                jdbc.update("UPDATE admin_requests SET payload = CAST(:payload AS jsonb) WHERE id = :id",
                        new MapSqlParameterSource("payload", JSON.writeValueAsString(payload)).addValue("id", p.get("id")));
                requests++;
            }
            return new Rotated(rows.size(), requests, current.id(), next.id());
        });
    }
}
