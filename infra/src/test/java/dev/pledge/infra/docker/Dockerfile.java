package dev.pledge.infra.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read the way the builder reads it: parser directives and comments dropped, lines
 * joined at a trailing backslash, one {@link Instruction} per logical line, grouped into stages at
 * each {@code FROM}.
 */
public record Dockerfile(List<Stage> stages) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction: keyword upper-cased, its {@code --flag=value} options, and the rest. */
    public record Instruction(int line, String keyword, Map<String, String> flags, String arguments) {

        /** The arguments of an exec-form instruction (a JSON array), or empty for the shell form. */
        public Optional<List<String>> execForm() {
            String a = arguments.strip();
            if (!a.startsWith("[")) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readValue(a, new TypeReference<List<String>>() { }));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** A build stage: its base image, its name ({@code AS name}) if any, and its instructions. */
    public record Stage(String baseImage, String name, List<Instruction> instructions) {
        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        public Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }

        /** ENV assignments of this stage, later ones winning. */
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                List<String> words = ShellWords.split(i.arguments());
                if (words.size() == 2 && !words.get(0).contains("=")) {
                    env.put(words.get(0), words.get(1)); // legacy "ENV KEY value"
                    continue;
                }
                for (String w : words) {
                    int eq = w.indexOf('=');
                    if (eq > 0) {
                        env.put(w.substring(0, eq), w.substring(eq + 1));
                    }
                }
            }
            return env;
        }
    }

    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    public static Dockerfile parse(String text) {
        List<Instruction> instructions = instructions(text);
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        String base = null;
        String name = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                if (current != null) {
                    stages.add(new Stage(base, name, List.copyOf(current)));
                }
                List<String> words = ShellWords.split(i.arguments());
                base = words.isEmpty() ? "" : words.get(0);
                name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(i);
            }
        }
        if (current != null) {
            stages.add(new Stage(base, name, List.copyOf(current)));
        }
        return new Dockerfile(List.copyOf(stages));
    }

    private static List<Instruction> instructions(String text) {
        List<Instruction> result = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder logical = null;
        int startLine = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue; // comments (and parser directives) are dropped, also inside continuations
            }
            if (logical == null) {
                if (trimmed.isEmpty()) {
                    continue;
                }
                logical = new StringBuilder();
                startLine = n + 1;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(' ');
                continue;
            }
            logical.append(trimmed);
            result.add(instruction(startLine, logical.toString()));
            logical = null;
        }
        if (logical != null) {
            result.add(instruction(startLine, logical.toString()));
        }
        return result;
    }

    private static Instruction instruction(int line, String text) {
        String[] split = text.strip().split("\\s+", 2);
        String keyword = split[0].toUpperCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1].strip() : "";
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            String[] flagAndRest = rest.split("\\s+", 2);
            String flag = flagAndRest[0].substring(2);
            int eq = flag.indexOf('=');
            flags.put(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? "" : flag.substring(eq + 1));
            rest = flagAndRest.length > 1 ? flagAndRest[1].strip() : "";
        }
        return new Instruction(line, keyword, Map.copyOf(flags), rest);
    }
}
