package dev.pledge.app.console;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;

/** The reads behind the Home page's pictures. Read-only; nothing here changes a row. */
@Repository
class ConsoleStore {
    /** A commitment Pledge holds: its type slug, quantity, term slug and when it was bought. */
    record Held(String type, int quantity, String term, Instant boughtAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    ConsoleStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Items bought (or found owned) whose longest possible term has not ended before {@code since}. The
     * item's finished attempt stands for the start of the commitment: Pledge records no other date.
     */
    List<Held> heldSince(Instant since) {
        return jdbc.query("SELECT type, quantity, term, attempt_finished_at FROM items "
                        + "WHERE status = 'BOUGHT' AND attempt_finished_at IS NOT NULL "
                        + "  AND attempt_finished_at > CAST(:since AS timestamptz) - interval '3 years' "
                        + "ORDER BY attempt_finished_at",
                new MapSqlParameterSource("since", java.sql.Timestamp.from(since)),
                (rs, n) -> new Held(rs.getString("type"), rs.getInt("quantity"), rs.getString("term"),
                        rs.getTimestamp("attempt_finished_at").toInstant()));
    }
}
