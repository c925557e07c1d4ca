package dev.pledge.app.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the shell commands of the documentation's walkthroughs the way bash would, for the small
 * part of the shell they use: variables ({@code export}, {@code NAME=value}, {@code $NAME},
 * {@code $(...)}), quoting, {@code ;} and {@code |}, a {@code for i in $(seq N)} loop with a
 * {@code case ... break}, and the commands {@code curl} (sent with the JDK's HTTP client),
 * {@code ./pledge} (run in-process), {@code echo}, {@code sed -n 's/.../.../p'}, {@code grep [-o]},
 * {@code head -N}, {@code sleep} and {@code openssl rand -hex N}. No bash or curl is needed.
 *
 * <p>The documents show values of the run they were taken from (keys, ids, ports). A value
 * assigned as written is replaced by the value of this run: a URL by the test's server or emulator,
 * a key ({@code pk_...}) by the {@code key} of the last answer (the key just created), an id by its
 * {@code id}, and otherwise by the test's preset for that name (the demo keys the banner printed).
 */
final class DocShell {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", Pattern.DOTALL);
    private static final Pattern FOR = Pattern.compile("^for (\\w+) in \\$\\(seq (\\d+)\\); do (.*); done\\s*$",
            Pattern.DOTALL);
    private static final Pattern CASE = Pattern.compile("case (\\S+) in (.*?)\\) break;; esac");

    /** An HTTP answer as curl got it. */
    record Answer(String method, String url, int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** What one step did: what it printed, its last HTTP answer and exit code, and whether it could not run. */
    static final class Run {
        final StringBuilder out = new StringBuilder();
        Answer answer;
        Integer exitCode;
        boolean pledge;
        boolean serve;
        boolean loop;
        String skipped;
    }

    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> replacements = new LinkedHashMap<>();
    private final Map<String, String> fixed;
    private final Map<String, String> defaults;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Answer lastAnswer;
    private List<String> baseBuy;
    private Run run;

    /**
     * @param fixed    values this run sets whatever the document assigns ({@code PLEDGE}, {@code CLOUD}, ...)
     * @param defaults values for names the document assigns literally when no answer supplies them
     */
    DocShell(Map<String, String> fixed, Map<String, String> defaults) {
        this.fixed = fixed;
        this.defaults = defaults;
        variables.putAll(fixed);
    }

    String variable(String name) {
        return variables.get(name);
    }

    Run run(String command) {
        run = new Run();
        String text = command.replace("\\\n", " ");
        Matcher loop = FOR.matcher(text.trim());
        try {
            if (loop.matches()) {
                run.loop = true;
                String body = CASE.matcher(loop.group(3)).replaceAll("__case_break $1 '$2'");
                for (int i = 1; i <= Integer.parseInt(loop.group(2)); i++) {
                    variables.put(loop.group(1), Integer.toString(i));
                    if (sequence(body)) {
                        break;
                    }
                }
            } else {
                sequence(text);
            }
        } catch (Skip s) {
            run.skipped = s.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return run;
    }

    /** Runs {@code a; b; c}; true when a {@code case ... break} matched. */
    private boolean sequence(String text) throws InterruptedException {
        for (String segment : split(text, ';')) {
            String s = segment.trim();
            if (s.endsWith("&")) {
                s = s.substring(0, s.length() - 1).trim();
            }
            if (s.isEmpty()) {
                continue;
            }
            String stdout = pipeline(s);
            if (BREAK.equals(stdout)) {
                return true;
            }
            run.out.append(stdout);
        }
        return false;
    }

    private static final String BREAK = "\u0000break";
    private static final String UNSET = "\u0000unset:";

    private String pipeline(String text) throws InterruptedException {
        String stdin = "";
        for (String stage : split(text, '|')) {
            stdin = stage(words(stage.trim()), stdin);
            if (BREAK.equals(stdin)) {
                return stdin;
            }
        }
        return stdin;
    }

    private String stage(List<Word> words, String stdin) throws InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        boolean export = !words.isEmpty() && words.get(0).value.equals("export") && !words.get(0).expanded;
        if (export) {
            i++;
        }
        for (; i < words.size(); i++) {
            Matcher m = ASSIGNMENT.matcher(words.get(i).value);
            if (!m.matches() || words.get(i).raw.startsWith("'") || words.get(i).raw.startsWith("\"")) {
                break;
            }
            env.put(m.group(1), bind(m.group(1), m.group(2), words.get(i).expanded));
        }
        List<String> args = new ArrayList<>();
        for (; i < words.size(); i++) {
            Word w = words.get(i);
            if (!w.expanded && (w.raw.equals(">") || w.raw.equals("2>&1"))) {
                i++;
                continue;
            }
            if (!w.expanded && (w.raw.equals("...") || w.raw.equals("…"))) {
                args.add("…");
                continue;
            }
            args.add(rewriteUrls(w.value));
        }
        if (args.isEmpty()) {
            variables.putAll(env);
            return "";
        }
        String name = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (!name.equals("./pledge") && rest.contains("…")) {
            throw new Skip("abridged with '...': not runnable as written");
        }
        for (String a : args) {
            if (a.contains(UNSET)) {
                throw new IllegalStateException("$" + a.substring(a.indexOf(UNSET) + UNSET.length()).split("\u0000")[0]
                        + " is not set at this point of the walkthrough");
            }
        }
        return switch (name) {
            case "curl" -> curl(rest);
            case "./pledge" -> pledge(env, rest);
            case "echo" -> String.join(" ", rest) + "\n";
            case "sed" -> sed(rest, stdin);
            case "grep" -> grep(rest, stdin);
            case "head" -> head(rest, stdin);
            case "sleep" -> {
                Thread.sleep((long) (Double.parseDouble(rest.get(0)) * 1000));
                yield "";
            }
            case "openssl" -> {
                byte[] bytes = new byte[Integer.parseInt(rest.get(rest.size() - 1))];
                new SecureRandom().nextBytes(bytes);
                yield HexFormat.of().formatHex(bytes) + "\n";
            }
            case "__case_break" -> {
                String value = rest.get(0);
                for (String glob : rest.get(1).split("\\|")) {
                    String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                            .reduce((a, b) -> a + ".*" + b).orElse("");
                    if (value.matches("(?s)" + regex)) {
                        yield BREAK;
                    }
                }
                yield "";
            }
            default -> throw new Skip("'" + name + "' is not a command this walkthrough runner knows");
        };
    }

    /** The value a documented assignment gets in this run (see the class comment). */
    private String bind(String name, String value, boolean expanded) {
        if (fixed.containsKey(name)) {
            return fixed.get(name);
        }
        if (expanded) {
            return value;
        }
        JsonNode last = lastAnswer == null ? null : lastAnswer.json();
        if (value.startsWith("pk_") && last != null && last.path("key").isString()) {
            return last.path("key").asString();
        }
        if (UUID_TEXT.matcher(value).matches() && last != null && last.path("id").isString()) {
            return last.path("id").asString();
        }
        if (defaults.containsKey(name) && (value.startsWith("pk_") || value.startsWith("http"))) {
            return defaults.get(name);
        }
        return value;
    }

    /** From now on, {@code shown} in a command (a value of the documented run) stands for {@code actual}. */
    void replace(String shown, String actual) {
        replacements.put(shown, actual);
    }

    private String rewriteUrls(String value) {
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            value = value.replace(r.getKey(), r.getValue());
        }
        return value.replaceAll("http://localhost:\\d+", Matcher.quoteReplacement(variables.get("PLEDGE")))
                .replaceAll("http://127\\.0\\.0\\.1:\\d+", Matcher.quoteReplacement(variables.get("CLOUD")));
    }

    private String curl(List<String> args) throws InterruptedException {
        String method = null;
        String url = null;
        String data = null;
        boolean include = false;
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-s", "--silent" -> {
                }
                case "-i", "--include" -> include = true;
                case "-X", "--request" -> method = args.get(++i);
                case "-H", "--header" -> {
                    String[] h = args.get(++i).split(":", 2);
                    request.header(h[0].trim(), h[1].trim());
                }
                case "-d", "--data" -> data = args.get(++i);
                default -> {
                    if (a.startsWith("-")) {
                        throw new Skip("curl option " + a + " is not supported by the walkthrough runner");
                    }
                    url = a;
                }
            }
        }
        if (method == null) {
            method = data == null ? "GET" : "POST";
        }
        request.uri(URI.create(url)).method(method, data == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(data));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        }
        lastAnswer = new Answer(method, url, response.statusCode(), response.headers().map(), response.body());
        run.answer = lastAnswer;
        StringBuilder out = new StringBuilder();
        if (include) {
            out.append("HTTP/1.1 ").append(response.statusCode()).append('\n');
            response.headers().map().forEach((k, v) -> v.forEach(x -> out.append(k).append(": ").append(x).append('\n')));
            out.append('\n');
        }
        out.append(response.body());
        return out.toString();
    }

    private String pledge(Map<String, String> env, List<String> args) {
        run.pledge = true;
        if (!args.isEmpty() && args.get(0).equals("serve")) {
            run.serve = true;
            return "";
        }
        List<String> all = new ArrayList<>();
        for (String a : args) {
            if (a.equals("…")) {
                if (baseBuy == null) {
                    throw new Skip("'…' with no earlier full command to stand for");
                }
                all.addAll(baseBuy);
            } else {
                all.add(a);
            }
        }
        if (!args.contains("…") && !args.isEmpty() && args.get(0).equals("buy")) {
            baseBuy = new ArrayList<>(args.subList(1, args.size())); // what "pledge buy …" stands for
        }
        CliRun r = CliRun.with(env, null, all.toArray(String[]::new));
        run.exitCode = r.exitCode;
        return r.out + r.err;
    }

    private static String sed(List<String> args, String stdin) {
        if (args.size() != 2 || !args.get(0).equals("-n") || !args.get(1).startsWith("s/") || !args.get(1).endsWith("/p")) {
            throw new Skip("only sed -n 's/<re>/<replacement>/p' is supported");
        }
        String[] parts = args.get(1).substring(2, args.get(1).length() - 2).split("/", -1);
        Pattern re = Pattern.compile(basicRegex(parts[0]));
        String replacement = parts[1].replace("$", "\\$").replaceAll("\\\\(\\d)", "\\$$1");
        StringBuilder out = new StringBuilder();
        for (String line : stdin.split("\n", -1)) {
            Matcher m = re.matcher(line);
            if (m.find()) {
                out.append(m.replaceFirst(replacement)).append('\n');
            }
        }
        return out.toString();
    }

    /** A POSIX basic regular expression as a Java one: {@code \(} groups, a plain {@code (} is literal. */
    private static String basicRegex(String bre) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < bre.length(); i++) {
            char c = bre.charAt(i);
            if (c == '\\' && i + 1 < bre.length()) {
                char n = bre.charAt(++i);
                re.append(n == '(' || n == ')' ? String.valueOf(n) : "\\" + n);
            } else if ("(){}+?|".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
        }
        return re.toString();
    }

    private static String grep(List<String> args, String stdin) {
        boolean only = args.get(0).equals("-o");
        Pattern re = Pattern.compile(args.get(only ? 1 : 0));
        StringBuilder out = new StringBuilder();
        for (String line : stdin.split("\n")) {
            Matcher m = re.matcher(line);
            if (only) {
                while (m.find()) {
                    out.append(m.group()).append('\n');
                }
            } else if (m.find()) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String head(List<String> args, String stdin) {
        int n = args.get(0).equals("-n") ? Integer.parseInt(args.get(1)) : Integer.parseInt(args.get(0).substring(1));
        StringBuilder out = new StringBuilder();
        String[] lines = stdin.split("\n");
        for (int i = 0; i < Math.min(n, lines.length); i++) {
            if (!lines[i].isEmpty() || i < lines.length - 1) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString();
    }

    /** A word of a command: as written, and its value after quotes and expansions. */
    private record Word(String raw, String value, boolean expanded) {
    }

    private List<Word> words(String text) throws InterruptedException {
        List<Word> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (text.charAt(i) == '#') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol;
                continue;
            }
            int start = i;
            StringBuilder value = new StringBuilder();
            boolean expanded = false;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                char c = text.charAt(i);
                if (c == '\'') {
                    int end = text.indexOf('\'', i + 1);
                    value.append(text, i + 1, end);
                    i = end + 1;
                } else if (c == '"') {
                    i++;
                    while (text.charAt(i) != '"') {
                        char d = text.charAt(i);
                        if (d == '\\' && "$`\"\\\n".indexOf(text.charAt(i + 1)) >= 0) {
                            value.append(text.charAt(i + 1));
                            i += 2;
                        } else if (d == '$' && i + 1 < n && isExpansionStart(text.charAt(i + 1))) {
                            i = expand(text, i, value);
                            expanded = true;
                        } else {
                            value.append(d);
                            i++;
                        }
                    }
                    i++;
                } else if (c == '$' && i + 1 < n && isExpansionStart(text.charAt(i + 1))) {
                    i = expand(text, i, value);
                    expanded = true;
                } else if (c == '\\' && i + 1 < n) {
                    value.append(text.charAt(i + 1));
                    i += 2;
                } else {
                    value.append(c);
                    i++;
                }
            }
            words.add(new Word(text.substring(start, i), value.toString(), expanded));
        }
        return words;
    }

    private static boolean isExpansionStart(char c) {
        return c == '(' || c == '{' || Character.isLetter(c) || c == '_';
    }

    /** Expands the {@code $...} at {@code i} into {@code value}; returns the index after it. */
    private int expand(String text, int i, StringBuilder value) throws InterruptedException {
        char c = text.charAt(i + 1);
        if (c == '(') {
            int end = closing(text, i + 1);
            String inner = text.substring(i + 2, end);
            Run outer = run;
            run = new Run();
            run.answer = outer.answer;
            try {
                sequence(inner);
                value.append(run.out.toString().replaceAll("\n+$", ""));
                if (run.exitCode != null) {
                    outer.exitCode = run.exitCode;
                }
                if (run.answer != null) {
                    outer.answer = run.answer;
                }
            } finally {
                run = outer;
            }
            return end + 1;
        }
        int start = c == '{' ? i + 2 : i + 1;
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        String name = text.substring(start, end);
        String v = variables.get(name);
        value.append(v != null ? v : UNSET + name + "\u0000");
        return c == '{' ? end + 1 : end;
    }

    /** The index of the parenthesis that closes the one at {@code open}, skipping quotes. */
    private static int closing(String text, int open) {
        int depth = 0;
        boolean single = false;
        boolean dbl = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (single) {
                single = c != '\'';
            } else if (dbl) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    dbl = false;
                }
            } else if (c == '\'') {
                single = true;
            } else if (c == '"') {
                dbl = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced parenthesis in " + text);
    }

    /** {@code text} split at {@code separator} outside quotes and parentheses ({@code ||} is not a pipe). */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean single = false;
        boolean dbl = false;
        boolean comment = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (comment) {
                comment = c != '\n';
            } else if (single) {
                single = c != '\'';
            } else if (dbl) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    dbl = false;
                }
            } else if (c == '\'') {
                single = true;
            } else if (c == '"') {
                dbl = true;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                comment = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** A step the runner cannot run as written (abridged with "..."). */
    static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String message) {
            super(message, null, false, false);
        }
    }
}
