package dev.pledge.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a purchase becomes final with time, as in the real clouds: it is held in an in-progress state
 * ({@code Creating}, {@code CREATING}, {@code payment-pending}) until {@code duration} after it was
 * bought, then it is succeeded or, when the offering says so, failed. Every read of the commitment
 * (a GET of the resource, a list, an operation poll, the control API) sees the state for the
 * emulator's time; nothing has to poll for it to advance.
 *
 * <p>Read from the offering's attributes at purchase time:
 * <ul>
 *   <li>{@value #DURATION_MS}: milliseconds from purchase to the final state (default per plug-in:
 *       0 for Azure and GCP, none for AWS, whose purchases are final at once unless this is set);</li>
 *   <li>{@value #OUTCOME}: {@code succeed} (default) or {@code fail}: the order fails once provisioned;</li>
 *   <li>{@value #STATE}: the in-progress state word, when a plug-in knows several (Azure
 *       {@code Creating} or {@code PendingBilling}).</li>
 * </ul>
 *
 * @param duration from purchase to the final state
 * @param fails    true when the order ends failed
 * @param inProgressState the state word while in progress, or null for the plug-in's default
 */
public record Provisioning(Duration duration, boolean fails, String inProgressState) {
    public static final String DURATION_MS = "provisioningMs";
    public static final String OUTCOME = "provisioningOutcome";
    public static final String STATE = "provisioningState";
    /** Commitment attribute: when the commitment reaches {@link #SETTLES_TO} (ISO-8601 instant). */
    public static final String SETTLES_AT = "settlesAt";
    /** Commitment attribute: the state it reaches at {@link #SETTLES_AT}. */
    public static final String SETTLES_TO = "settlesTo";
    /**
     * Commitment attribute (legacy, offering attribute {@code operationPolls}): polls of the purchase
     * operation still needed before it may settle, on top of the time.
     */
    public static final String PENDING_POLLS = "pendingPolls";

    /** The offering's provisioning, or {@code defaultDuration} when it sets none (null: final at once). */
    public static Provisioning of(Offering offering, Duration defaultDuration) {
        String ms = offering.attribute(DURATION_MS);
        Duration d = defaultDuration;
        if (ms != null) {
            try {
                d = Duration.ofMillis(Math.max(0, Long.parseLong(ms.trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("offering attribute " + DURATION_MS + ": must be a whole number of"
                        + " milliseconds, was '" + ms + "'");
            }
        }
        String outcome = offering.attribute(OUTCOME);
        boolean fails = outcome != null && outcome.trim().toLowerCase(Locale.ROOT).startsWith("fail");
        if (outcome != null && !fails && !outcome.trim().equalsIgnoreCase("succeed")) {
            throw new IllegalArgumentException("offering attribute " + OUTCOME + ": must be succeed or fail, was '"
                    + outcome + "'");
        }
        return new Provisioning(d, fails, offering.attribute(STATE));
    }

    /** True when a purchase is final at once (an AWS offering that sets no duration and no outcome). */
    public boolean immediate() {
        return duration == null && !fails;
    }

    /**
     * The attributes that make a commitment bought at {@code now} settle: it is created in
     * {@code inProgress} and reaches {@code succeeded} or {@code failed} at {@code now + duration}.
     */
    public Map<String, String> settleAttributes(Instant now, String succeeded, String failed) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(SETTLES_AT, now.plus(duration == null ? Duration.ZERO : duration).toString());
        a.put(SETTLES_TO, fails ? failed : succeeded);
        return a;
    }

    /**
     * An AWS purchase of {@code c}: unchanged (final at once) unless its offering sets a provisioning
     * duration or outcome; then {@code payment-pending} until the duration has passed, then
     * {@code active} or, with {@code provisioningOutcome=fail}, {@code payment-failed}.
     */
    public static Commitment awsPayment(Commitment c, Instant now) {
        Provisioning p = of(c.offering(), null);
        if (p.immediate()) {
            return c;
        }
        Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
        attributes.putAll(p.settleAttributes(now, "active", "payment-failed"));
        return new Commitment(c.cloud(), c.type(), c.account(), c.region(), c.id(), c.key(), c.offering(), c.quantity(),
                c.tags(), c.createdAt(), p.inProgress("payment-pending"), attributes);
    }

    /** The in-progress state word: the offering's, else {@code pluginDefault}. */
    public String inProgress(String pluginDefault) {
        return inProgressState == null || inProgressState.isBlank() ? pluginDefault : inProgressState;
    }

    /** {@code c} as it stands at {@code now}: settled when its time has come and no legacy polls remain. */
    static Commitment settle(Commitment c, Instant now) {
        String at = c.attribute(SETTLES_AT);
        if (at == null) {
            return c;
        }
        String polls = c.attribute(PENDING_POLLS);
        if (polls != null && !polls.equals("0")) {
            return c;
        }
        if (now.isBefore(Instant.parse(at))) {
            return c;
        }
        Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
        attributes.remove(SETTLES_AT);
        String to = attributes.remove(SETTLES_TO);
        attributes.remove(PENDING_POLLS);
        attributes.put("settledAt", at);
        return new Commitment(c.cloud(), c.type(), c.account(), c.region(), c.id(), c.key(), c.offering(), c.quantity(),
                c.tags(), c.createdAt(), to, attributes);
    }
}
