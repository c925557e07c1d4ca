package dev.pledge.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the short commands do to start and exit faster, and that it changes nothing they print. */
class CommandLineStartTest {

    @Test
    void a_named_command_is_registered_alone_anything_else_gets_every_command() {
        for (String name : PledgeCommand.SUBCOMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            assertThat(subcommands(name, "--help")).as(name).containsExactly(name);
        }
        List<String> all = new ArrayList<>(PledgeCommand.SUBCOMMANDS.keySet());
        assertThat(subcommands()).containsExactlyElementsOf(all);
        assertThat(subcommands("--help")).containsExactlyElementsOf(all);
        assertThat(subcommands("help", "buy")).containsExactlyElementsOf(all);
        assertThat(subcommands("buyy", "--type", "aws-rds")).containsExactlyElementsOf(all);
        assertThat(subcommands("--version")).containsExactlyElementsOf(all);
    }

    @Test
    void the_names_are_the_commands_own() {
        for (Map.Entry<String, Class<?>> c : PledgeCommand.SUBCOMMANDS.entrySet()) {
            assertThat(c.getValue().getAnnotation(CommandLine.Command.class).name()).isEqualTo(c.getKey());
        }
    }

    @Test
    void with_only_the_named_command_the_output_is_the_same_as_with_all() {
        String[][] runs = {
                {"buy", "--help"},
                {"purchases", "--help"},
                {"purchases", "list", "--help"},
                {"emulator", "--help"},
                {"serve", "--help"},
                {"buy", "--type", "aws-ec2"},
                {"buy", "--type", "aws-ec3", "--account", "111122223333", "--region", "us-east-1", "--offering",
                        "m5.large", "--term", "1y", "--endpoint", "http://127.0.0.1:9"},
                {"buy", "--dry-run", "--type", "gcp-compute", "--account", "pledge-demo-project", "--region",
                        "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4",
                        "--memory-mb", "16384", "--token", "CHG-1", "--endpoint", "http://127.0.0.1:9"},
                {"buy", "--dry-run", "--yes", "--type", "aws-rds"},
                {"purchases", "list", "--server", "not a url"},
        };
        for (String[] run : runs) {
            String[] all = execute(PledgeCommand.commandLine(environment()), run);
            String[] only = execute(PledgeCommand.commandLine(environment(), run), run);
            assertThat(only).as(String.join(" ", run)).containsExactly(all);
        }
    }

    @Test
    void stopping_the_jdk_http_client_selector_ends_its_thread() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
            List<Thread> selectors = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && t.getName().endsWith("-SelectorManager")) {
                    selectors.add(t);
                }
            }
            assertThat(selectors).hasSize(1);

            PledgeCommand.stopHttpClientSelectors(selectors);

            assertThat(selectors.get(0).isAlive()).isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unsigning_a_jar_deletes_its_signature_files_and_nothing_else(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("signed.jar");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\nName: a/B.class\r\nSHA-256-Digest: x\r\n\r\n");
        entries.put("META-INF/AZURE.SF", "Signature-Version: 1.0\r\n");
        entries.put("META-INF/AZURE.RSA", "not really a signature");
        entries.put("META-INF/SIG-OTHER", "neither");
        entries.put("META-INF/services/some.Service", "a.B\n");
        entries.put("META-INF/maven/x/y/pom.xml", "<project/>");
        entries.put("a/B.class", "bytes");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }

        assertThat(CdsPrepareCommand.unsign(jar)).isTrue();
        assertThat(CdsPrepareCommand.unsign(jar)).isFalse();

        Map<String, String> left = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    left.put(e.getName(), new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        Map<String, String> expected = new HashMap<>(entries);
        expected.keySet().removeAll(List.of("META-INF/AZURE.SF", "META-INF/AZURE.RSA", "META-INF/SIG-OTHER"));
        assertThat(left).isEqualTo(expected);
    }

    @Test
    void java_util_logging_is_configured_when_first_used_with_the_root_at_warning() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                JulProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("config-class=" + CliLogging.JulConfiguration.class.getName())
                .contains("root=WARNING info=false warning=true");
    }

    @Test
    void the_java_util_logging_configuration_is_the_jdk_default_with_the_root_at_warning(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("logging.properties");
        Files.writeString(file, "handlers= java.util.logging.ConsoleHandler\n.level= INFO\n"
                + "java.util.logging.ConsoleHandler.level = INFO\n");
        java.util.Properties read = new java.util.Properties();
        read.load(CliLogging.JulConfiguration.warningsOnly(file));
        assertThat(read).containsEntry(".level", "WARNING")
                .containsEntry("handlers", "java.util.logging.ConsoleHandler")
                .containsEntry("java.util.logging.ConsoleHandler.level", "INFO").hasSize(3);

        java.util.Properties none = new java.util.Properties();
        none.load(CliLogging.JulConfiguration.warningsOnly(dir.resolve("missing.properties")));
        assertThat(none).containsOnly(java.util.Map.entry(".level", "WARNING"));
    }

    @Test
    void picocli_is_told_not_to_look_for_groovy() {
        String before = System.getProperty(PledgeCommand.PICOCLI_DISABLE_CLOSURES);
        try {
            System.clearProperty(PledgeCommand.PICOCLI_DISABLE_CLOSURES);
            PledgeCommand.noGroovyClosures();
            assertThat(System.getProperty(PledgeCommand.PICOCLI_DISABLE_CLOSURES)).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(PledgeCommand.PICOCLI_DISABLE_CLOSURES);
            } else {
                System.setProperty(PledgeCommand.PICOCLI_DISABLE_CLOSURES, before);
            }
        }
    }

    private static List<String> subcommands(String... args) {
        return new ArrayList<>(PledgeCommand.commandLine(environment(), args).getSubcommands().keySet());
    }

    private static CliEnvironment environment() {
        return new CliEnvironment(new HashMap<>(), Optional.empty(), Clock.systemUTC());
    }

    /** Exit code, stdout and stderr. */
    private static String[] execute(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }
}
