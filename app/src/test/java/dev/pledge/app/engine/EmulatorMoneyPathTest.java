package dev.pledge.app.engine;

import dev.pledge.app.testing.EmulatorTestCloud;
import dev.pledge.app.testing.TestCloud;

/** The money paths with the real AWS executors (real SDK clients over HTTP) against the emulator. */
class EmulatorMoneyPathTest extends MoneyPathContract {
    @Override
    TestCloud newCloud() {
        return new EmulatorTestCloud();
    }
}
