package dev.pledge.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The dependency rules of DESIGN.md, checked on the sources so they cannot rot silently. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/pledge/app");

    private static List<String> importsOf(String pkg, String... forbiddenPrefixes) throws IOException {
        List<String> offending = new ArrayList<>();
        Path dir = pkg.isEmpty() ? MAIN : MAIN.resolve(pkg);
        if (!Files.isDirectory(dir)) {
            return offending;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String l = line.trim();
                    if (!l.startsWith("import ")) {
                        continue;
                    }
                    for (String prefix : forbiddenPrefixes) {
                        if (l.startsWith("import " + prefix) || l.startsWith("import static " + prefix)) {
                            offending.add(MAIN.relativize(file) + ": " + l);
                        }
                    }
                }
            }
        }
        return offending;
    }

    @Test
    void the_app_never_sees_a_cloud_sdk_class() throws IOException {
        assertThat(importsOf("", "software.amazon.", "com.azure.", "com.google.cloud.", "com.google.api."))
                .isEmpty();
    }

    @Test
    void the_domain_packages_do_not_depend_on_the_web_security_or_command_line() throws IOException {
        for (String pkg : List.of("account", "audit", "execution", "engine", "database")) {
            assertThat(importsOf(pkg, "dev.pledge.app.web", "dev.pledge.app.security", "dev.pledge.app.cli"))
                    .as(pkg).isEmpty();
        }
    }

    @Test
    void the_workflow_does_not_depend_on_the_engine_which_runs_it() throws IOException {
        assertThat(importsOf("execution", "dev.pledge.app.engine")).isEmpty();
        assertThat(importsOf("account", "dev.pledge.app.engine", "dev.pledge.app.execution")).isEmpty();
        assertThat(importsOf("audit", "dev.pledge.app.engine", "dev.pledge.app.execution", "dev.pledge.app.account"))
                .isEmpty();
    }

    @Test
    void the_console_calls_the_services_not_the_api_and_nothing_depends_on_the_console() throws IOException {
        assertThat(importsOf("console", "dev.pledge.app.web", "dev.pledge.app.cli", "dev.pledge.app.engine")).isEmpty();
        for (String pkg : List.of("account", "audit", "execution", "engine", "database", "web", "security", "cli")) {
            assertThat(importsOf(pkg, "dev.pledge.app.console")).as(pkg).isEmpty();
        }
    }
}
