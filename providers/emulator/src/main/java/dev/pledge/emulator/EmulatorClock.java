package dev.pledge.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The emulator's time: a base clock plus an offset that the control API moves forward
 * ({@code POST /__pledge/clock}), so tests see provisioning and payment states advance without waiting.
 */
final class EmulatorClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    EmulatorClock(Clock base) {
        this.base = base;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    Duration offset() {
        return offset;
    }

    synchronized void advance(Duration by) {
        if (by == null || by.isNegative()) {
            throw new IllegalArgumentException("advanceMs: must be 0 or more, was " + by);
        }
        offset = offset.plus(by);
    }

    void resetOffset() {
        offset = Duration.ZERO;
    }
}
