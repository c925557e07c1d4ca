package dev.pledge.infra.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code pledge.*} settings the service actually reads, found in its sources: the components
 * of each {@code @ConfigurationProperties("prefix") record} (as kebab-case keys) and the property
 * names it looks up by string. A ConfigMap key outside this set is silently ignored by Spring, so
 * a typo would quietly fall back to a default.
 */
final class AppSettings {
    private static final Pattern PROPERTIES_RECORD = Pattern.compile(
            "@ConfigurationProperties\\(\"(pledge\\.[a-z0-9.-]+)\"\\)\\s*(?:public\\s+)?record\\s+\\w+\\s*\\(");
    private static final Pattern LITERAL = Pattern.compile("\"(pledge\\.[a-z0-9-]+\\.[a-z0-9.-]*[a-z0-9])\"");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\([^)]*\\))?");

    private AppSettings() {
    }

    static Set<String> known(Path appMainSources) {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(appMainSources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher literal = LITERAL.matcher(source);
                while (literal.find()) {
                    keys.add(literal.group(1));
                }
                Matcher record = PROPERTIES_RECORD.matcher(source);
                while (record.find()) {
                    String prefix = record.group(1);
                    for (String component : components(source, record.end())) {
                        keys.add(prefix + "." + kebab(component));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Component names of the record header that starts at {@code from} (just after its opening parenthesis). */
    private static Set<String> components(String source, int from) {
        int depth = 1;
        int end = from;
        while (end < source.length() && depth > 0) {
            char c = source.charAt(end++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        String header = ANNOTATION.matcher(source.substring(from, end - 1)).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        int angle = 0;
        StringBuilder part = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
            angle += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && angle == 0) {
                String[] words = part.toString().trim().split("\\s+");
                if (words.length > 0 && !words[words.length - 1].isEmpty()) {
                    names.add(words[words.length - 1]);
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        return names;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
