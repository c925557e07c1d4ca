package dev.pledge.aws;

import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;

import java.util.EnumMap;
import java.util.Map;

/**
 * One emulator and one set of AWS executors for the whole test run: starting an emulator costs
 * about a second, and every test resets its state first. Stopped when the JVM exits.
 */
final class SharedEmulator {
    private static Emulator emulator;
    private static Map<CommitmentType, CommitmentExecutor> executors;

    private SharedEmulator() {
    }

    static synchronized Emulator emulator() {
        if (emulator == null) {
            emulator = Emulator.builder().build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "emulator-stop"));
        }
        return emulator;
    }

    static ProviderSettings settings() {
        return ProviderSettings.emulator(emulator().baseUrl());
    }

    static synchronized CommitmentExecutor executor(CommitmentType type) {
        if (executors == null) {
            executors = new EnumMap<>(CommitmentType.class);
            new AwsExecutorProvider().create(settings()).forEach(e -> executors.put(e.type(), e));
        }
        return executors.get(type);
    }
}
