package dev.pledge.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of one section of a Markdown document, each with the output the document
 * shows under it, read from the section's fenced code blocks. Two layouts: with a prompt
 * ({@code $ command}, the README), where every line that does not start with {@code $ } is output,
 * and without (app/API.md's {@code bash} blocks), where a line that starts like a command
 * ({@code curl}, {@code export}, {@code ./pledge}, {@code NAME=}, {@code for}) starts one and the
 * other lines are output; {@code #} lines there are comments. A command goes on while a line ends
 * with a backslash or a quote is open. A comment after a command that starts like an answer
 * ({@code # {"status":"UP"}}, {@code # HTTP/1.1 200}) is its output.
 */
final class DocWalkthrough {
    private static final Pattern COMMAND_START = Pattern.compile(
            "^(curl |export |\\./pledge |PLEDGE_API_KEY=|[A-Z_][A-Z0-9_]*=|for )");

    /** A command as written (continuation lines joined, quotes kept), its line, and the output shown under it. */
    record Step(String document, int line, String command, List<String> output) {
        String where() {
            return document + ":" + line + ": " + command.replaceAll("\\s*\\\\\\n\\s*", " ");
        }
    }

    private DocWalkthrough() {
    }

    /** The steps of the section that starts with the heading {@code heading} (up to the next heading of its level). */
    static List<Step> read(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException(file + " has no section '" + heading + "'");
        }
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        boolean shell = false;
        List<String> block = new ArrayList<>();
        int blockStart = 0;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inBlock && line.startsWith(level)) {
                break;
            }
            if (line.startsWith("```")) {
                if (!inBlock) {
                    inBlock = true;
                    String language = line.substring(3).trim();
                    shell = language.isEmpty() || language.equals("bash") || language.equals("sh");
                    block.clear();
                    blockStart = i + 2;
                } else {
                    inBlock = false;
                    if (shell) {
                        steps.addAll(steps(file.getFileName().toString(), blockStart, block));
                    }
                }
                continue;
            }
            if (inBlock) {
                block.add(line);
            }
        }
        return steps;
    }

    private static List<Step> steps(String document, int firstLine, List<String> block) {
        boolean prompted = block.stream().anyMatch(l -> l.startsWith("$ "));
        boolean bash = !prompted && block.stream().anyMatch(l -> COMMAND_START.matcher(l).find());
        List<Step> steps = new ArrayList<>();
        if (!prompted && !bash) {
            return steps;
        }
        int i = 0;
        while (i < block.size()) {
            String line = block.get(i);
            boolean starts = prompted ? line.startsWith("$ ") : COMMAND_START.matcher(line).find();
            if (!starts) {
                i++;
                continue;
            }
            int at = firstLine + i;
            StringBuilder command = new StringBuilder(prompted ? line.substring(2) : line);
            i++;
            while (continues(command.toString()) && i < block.size()) {
                command.append('\n').append(block.get(i));
                i++;
            }
            List<String> output = new ArrayList<>();
            String text = command.toString();
            String trailing = trailingComment(text);
            if (trailing != null && (trailing.startsWith("{") || trailing.startsWith("HTTP/"))) {
                output.add(trailing);
            }
            while (i < block.size()) {
                String next = block.get(i);
                boolean nextStarts = prompted ? next.startsWith("$ ") : COMMAND_START.matcher(next).find();
                if (nextStarts || (!prompted && next.startsWith("#"))) {
                    break;
                }
                output.add(next);
                i++;
            }
            steps.add(new Step(document, at, text, output));
        }
        return steps;
    }

    /** True while the command so far ends with a backslash or has a quote or {@code $(} open. */
    static boolean continues(String command) {
        if (command.endsWith("\\")) {
            return true;
        }
        if (command.startsWith("for ") && !command.matches("(?s).*;\\s*done\\s*$")) {
            return true;
        }
        boolean single = false;
        boolean dbl = false;
        int parens = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
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
            } else if (c == '#' && (i == 0 || Character.isWhitespace(command.charAt(i - 1)))) {
                int eol = command.indexOf('\n', i);
                if (eol < 0) {
                    break;
                }
                i = eol;
            } else if (c == '(') {
                parens++;
            } else if (c == ')') {
                parens--;
            }
        }
        return single || dbl || parens > 0;
    }

    /** The text of a comment at the end of the command's last line, outside quotes, or null. */
    static String trailingComment(String command) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
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
            } else if (c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
                int eol = command.indexOf('\n', i);
                return (eol < 0 ? command.substring(i + 1) : command.substring(i + 1, eol)).trim();
            }
        }
        return null;
    }

    /** The expected exit code a line ends with ({@code (exit 3)}), or -1. */
    static int exitAnnotation(String line) {
        Matcher m = EXIT.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static String withoutExitAnnotation(String line) {
        return EXIT.matcher(line).replaceAll("");
    }

    private static final Pattern EXIT = Pattern.compile("\\s+\\(exit (\\d)\\)\\s*$");
}
