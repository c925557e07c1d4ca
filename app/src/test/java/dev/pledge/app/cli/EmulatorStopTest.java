package dev.pledge.app.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge emulator} as a user runs it, in a process of its own: started, used, then stopped
 * with Ctrl-C (SIGINT) or {@code kill} (SIGTERM). The help and the README say it exits 0 when
 * stopped, as {@code pledge serve} does.
 */
class EmulatorStopTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private String start() throws IOException, InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PledgeCommand.class.getName(), "emulator", "--port", "0")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }).get(3, TimeUnit.MINUTES);
        assertThat(url).as("the emulator's banner:\n" + seen).isNotNull();
        // keep reading, so the process never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
            }
        });
        HttpResponse<String> commitments = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/__pledge/commitments")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(commitments.statusCode()).isEqualTo(200);
        return url;
    }

    private int stoppedBy(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("stopped by SIG" + signal).isTrue();
        return process.exitValue();
    }

    @Test
    void ctrl_c_stops_the_emulator_with_exit_0() throws Exception {
        start();
        assertThat(stoppedBy("INT")).as("exit code after SIGINT").isZero();
    }

    @Test
    void sigterm_stops_the_emulator_with_exit_0() throws Exception {
        start();
        assertThat(stoppedBy("TERM")).as("exit code after SIGTERM").isZero();
    }

    @Test
    void the_help_says_so() {
        CliRun r = CliRun.run("emulator", "--help");
        assertThat(r.exitCode).isZero();
        assertThat(r.out).containsPattern("0\\s+stopped");
    }
}
