package dev.pledge.app.engine;

import dev.pledge.app.testing.InMemoryTestCloud;
import dev.pledge.app.testing.TestCloud;

/** The money paths against the in-memory cloud (faults the emulator cannot script are tested elsewhere). */
class InMemoryMoneyPathTest extends MoneyPathContract {
    @Override
    TestCloud newCloud() {
        return new InMemoryTestCloud();
    }
}
