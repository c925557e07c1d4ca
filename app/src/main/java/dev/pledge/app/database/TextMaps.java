package dev.pledge.app.database;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Text-to-text maps (credentials, commitment attributes) kept as jsonb objects, moved in and out
 * as two parallel text arrays so no JSON library is involved:
 * write with {@link #JSONB_FROM_ARRAYS}, read the columns of {@link #arraysOf(String, String)}.
 */
public final class TextMaps {
    /** SQL expression building a jsonb object from the parameters {@code :<name>Keys} and {@code :<name>Values}. */
    public static final String JSONB_FROM_ARRAYS = "jsonb_object(CAST(:%1$sKeys AS text[]), CAST(:%1$sValues AS text[]))";

    private TextMaps() {
    }

    public static String jsonbFrom(String name) {
        return String.format(JSONB_FROM_ARRAYS, name);
    }

    /** Select-list columns {@code <alias>_keys} and {@code <alias>_values} of a jsonb column, sorted by key. */
    public static String arraysOf(String column, String alias) {
        return "ARRAY(SELECT key FROM jsonb_each_text(" + column + ") ORDER BY key) AS " + alias + "_keys, "
                + "ARRAY(SELECT value FROM jsonb_each_text(" + column + ") ORDER BY key) AS " + alias + "_values";
    }

    public static String[] keys(Map<String, String> map) {
        return new TreeMap<>(map).keySet().toArray(String[]::new);
    }

    public static String[] values(Map<String, String> map) {
        return new TreeMap<>(map).values().toArray(String[]::new);
    }

    public static Map<String, String> read(ResultSet rs, String alias) throws SQLException {
        String[] keys = strings(rs.getArray(alias + "_keys"));
        String[] values = strings(rs.getArray(alias + "_values"));
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        return map;
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }
}
