package dev.pledge.app.engine;

import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

import java.util.List;

/**
 * A statement of the worker's hot path with named parameters, translated to JDBC's {@code ?} once.
 * {@code NamedParameterJdbcTemplate} builds the {@code ?} text again at every call, and the driver then
 * hashes and compares that new multi-kilobyte string against its prepared-statement cache; here the
 * driver gets the same string instance every time (its hash is computed once). Parameters bind as
 * {@code NamedParameterJdbcTemplate} binds them (Spring's {@code StatementCreatorUtils}, type unknown
 * unless the source declares one). Only single values: a collection or array, which
 * {@code NamedParameterJdbcTemplate} would expand into several placeholders, is refused.
 */
final class NamedStatement {
    private final ParsedSql parsed;
    private final String jdbcSql;

    NamedStatement(String namedSql) {
        this.parsed = NamedParameterUtils.parseSqlStatement(namedSql);
        this.jdbcSql = NamedParameterUtils.substituteNamedParameters(parsed, null);
    }

    /** The statement as sent to the driver. */
    String jdbcSql() {
        return jdbcSql;
    }

    <T> T queryForObject(JdbcOperations jdbc, SqlParameterSource params, RowMapper<T> mapper) {
        List<T> rows = jdbc.query(jdbcSql, new RowMapperResultSetExtractor<>(mapper, 1), args(params));
        return DataAccessUtils.nullableSingleResult(rows);
    }

    void query(JdbcOperations jdbc, SqlParameterSource params, RowCallbackHandler handler) {
        jdbc.query(jdbcSql, handler, args(params));
    }

    Object[] args(SqlParameterSource params) {
        Object[] args = NamedParameterUtils.buildValueArray(parsed, params, null);
        for (int i = 0; i < args.length; i++) {
            Object v = args[i] instanceof org.springframework.jdbc.core.SqlParameterValue p ? p.getValue() : args[i];
            if (v instanceof Iterable<?> || (v != null && v.getClass().isArray() && !(v instanceof byte[]))) {
                throw new IllegalArgumentException("parameter " + (i + 1) + " of a prepared engine statement is a "
                        + "collection or array (" + v.getClass().getSimpleName() + "): only single values are bound");
            }
        }
        return args;
    }
}
