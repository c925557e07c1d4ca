package dev.pledge.app.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator who means the real clouds but mistypes the mode ({@code --pledge.cloud.mode=production})
 * must not get demo mode: {@code pledge serve} refuses to start, naming the property, before it
 * starts a database or an emulator.
 */
class ServeCloudModeTest {

    @BeforeEach
    void keepTheTestJvmsSignals() {
        ServeCommand.handleSignals = false;
    }

    @AfterEach
    void restore() {
        ServeCommand.handleSignals = true;
    }

    @Test
    void a_mode_other_than_real_refuses_to_start_naming_the_property(@TempDir Path dir) throws Exception {
        CommandLine cl = PledgeCommand.commandLine(new CliEnvironment(Map.of(),
                Optional.empty(), Clock.systemUTC()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(cl.execute("serve", "--data-dir", dir.toString(),
                "--server.port=0", "--pledge.cloud.mode=production")), "serve-with-a-bad-mode");
        serve.start();
        // refused: the thread ends; not refused: it runs until stopped, after printing its banner
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> !serve.isAlive() || out.toString().contains("Stop with Ctrl-C"));
        if (serve.isAlive()) {
            ServeCommand command = cl.getSubcommands().get("serve").getCommand();
            command.stop();
            serve.join(Duration.ofMinutes(1).toMillis());
        }
        String printed = "exit " + exit.get() + "\n" + out + "\n" + err;

        assertThat(printed).doesNotContain("demo mode");
        assertThat(exit.get()).as(printed).isEqualTo(ExitCode.INTERNAL);
        assertThat(err.toString()).contains("pledge serve: could not start", "pledge.cloud.mode must be 'real'",
                "was 'production'");
        assertThat(Files.exists(dir.resolve("postgres"))).as("no database was started").isFalse();
    }
}
