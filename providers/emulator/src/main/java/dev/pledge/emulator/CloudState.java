package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What every emulated cloud holds, shared by all plug-ins: the offering catalog and the
 * commitments bought, per (cloud, type, account, region). Thread-safe: every method runs under
 * one lock, so a check-and-buy is atomic.
 *
 * <p>Reads by account go through an index (the commitments of each cloud, type and account, in the
 * order they were bought), and only commitments still in progress are looked at to settle them, so a
 * purchase or a describe costs the account's commitments, not every commitment in the emulator.
 */
public final class CloudState {
    private final Object lock;
    private final List<Offering> catalog;
    private final Map<String, Commitment> commitments;
    /** The slots of {@link #commitments} per cloud, type and account, in the map's (insertion) order. */
    private final Map<Group, Set<String>> groups = new HashMap<>();
    /** The slots whose commitment may still settle ({@link Provisioning#SETTLES_AT} set). */
    private final Set<String> unsettled = new HashSet<>();
    private final Clock clock;
    private final boolean stale;
    private final dev.pledge.emulator.usage.UsageModel usage;

    CloudState(List<Offering> seed, Clock clock) {
        this.lock = new Object();
        this.catalog = new ArrayList<>(seed);
        this.commitments = new LinkedHashMap<>();
        this.clock = clock;
        this.stale = false;
        this.usage = new dev.pledge.emulator.usage.UsageModel();
    }

    private CloudState(CloudState of) {
        this.lock = of.lock;
        this.catalog = of.catalog;
        this.commitments = new LinkedHashMap<>();
        this.clock = of.clock;
        this.stale = true;
        this.usage = of.usage;
    }

    /**
     * A view that sees the catalog but no commitments and drops writes: how a lagging describe
     * answers (the {@code stale-read} fault).
     */
    CloudState staleView() {
        return new CloudState(this);
    }

    /** The usage model recommendations are derived from ({@code PUT /__pledge/usage}). */
    public dev.pledge.emulator.usage.UsageModel usage() {
        return usage;
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- catalog ----

    public List<Offering> offerings() {
        synchronized (lock) {
            return List.copyOf(catalog);
        }
    }

    /** Offerings of a type; {@code region} null means every region. */
    public List<Offering> offerings(Cloud cloud, String type, String region) {
        return offerings().stream().filter(o -> o.cloud() == cloud && o.type().equals(type)
                && (region == null || o.region().equals(region))).toList();
    }

    public Optional<Offering> offering(Cloud cloud, String type, String offeringId) {
        return offerings().stream().filter(o -> o.cloud() == cloud && o.type().equals(type)
                && o.offeringId().equals(offeringId)).findFirst();
    }

    /** Adds an offering, replacing one with the same cloud, type and id. */
    public void addOffering(Offering offering) {
        synchronized (lock) {
            catalog.removeIf(o -> o.cloud() == offering.cloud() && o.type().equals(offering.type())
                    && o.offeringId().equals(offering.offeringId()));
            catalog.add(offering);
        }
    }

    // ---- commitments ----

    /** Every commitment as it stands now: purchases whose provisioning time has come are settled first. */
    public List<Commitment> commitments() {
        synchronized (lock) {
            settleDue();
            return List.copyOf(commitments.values());
        }
    }

    /** Moves every commitment whose {@link Provisioning} time has come to its final state. */
    private void settleDue() {
        if (unsettled.isEmpty()) {
            return;
        }
        Instant now = now();
        for (String slot : List.copyOf(unsettled)) {
            settled(slot, now);
        }
    }

    /** The commitment in {@code slot} as it stands at {@code now}, settled first if its time has come. */
    private Commitment settled(String slot, Instant now) {
        Commitment c = commitments.get(slot);
        if (!unsettled.contains(slot)) {
            return c;
        }
        Commitment settled = Provisioning.settle(c, now);
        if (settled != c) {
            store(slot, settled);
        }
        return settled;
    }

    /** Puts {@code c} in {@code slot} (a replaced commitment keeps its place) and keeps the indexes. */
    private void store(String slot, Commitment c) {
        Commitment before = commitments.put(slot, c);
        if (before != null && !group(before).equals(group(c))) {
            Set<String> old = groups.get(group(before));
            old.remove(slot);
            if (old.isEmpty()) {
                groups.remove(group(before));
            }
        }
        groups.computeIfAbsent(group(c), g -> new LinkedHashSet<>()).add(slot);
        if (c.attribute(Provisioning.SETTLES_AT) != null) {
            unsettled.add(slot);
        } else {
            unsettled.remove(slot);
        }
    }

    private record Group(Cloud cloud, String type, String account) {
    }

    private static Group group(Commitment c) {
        return new Group(c.cloud(), c.type(), c.account());
    }

    public List<Commitment> commitments(Predicate<Commitment> filter) {
        return commitments().stream().filter(filter).toList();
    }

    /**
     * Commitments of a type bought by an account, in the order they were bought; {@code region} null
     * means every region.
     */
    public List<Commitment> commitments(Cloud cloud, String type, String account, String region) {
        synchronized (lock) {
            Set<String> slots = groups.get(new Group(cloud, type, account));
            if (slots == null) {
                return List.of();
            }
            Instant now = unsettled.isEmpty() ? null : now();
            List<Commitment> found = new ArrayList<>();
            for (String slot : List.copyOf(slots)) {
                Commitment c = now == null ? commitments.get(slot) : settled(slot, now);
                if (region == null || c.region().equals(region)) {
                    found.add(c);
                }
            }
            return List.copyOf(found);
        }
    }

    public Optional<Commitment> byKey(Cloud cloud, String type, String account, String key) {
        return commitments(cloud, type, account, null).stream().filter(c -> key.equals(c.key())).findFirst();
    }

    public Optional<Commitment> byId(Cloud cloud, String type, String id) {
        synchronized (lock) {
            settleDue();
            return Optional.ofNullable(commitments.get(slot(cloud, type, id)));
        }
    }

    /** Adds a commitment without any key check (EC2 and Redshift: every request buys). */
    public Commitment add(Commitment commitment) {
        synchronized (lock) {
            if (!stale) {
                store(slot(commitment.cloud(), commitment.type(), commitment.id()), commitment);
            }
            return commitment;
        }
    }

    /**
     * Adds a commitment unless the account already holds one of its type under the same key; then
     * nothing is added and the holder is returned. Atomic: two racing buyers cannot both add.
     */
    public Optional<Commitment> addUnlessKeyTaken(Commitment commitment) {
        synchronized (lock) {
            Optional<Commitment> holder = byKey(commitment.cloud(), commitment.type(), commitment.account(),
                    Objects.requireNonNull(commitment.key(), "key"));
            if (holder.isEmpty()) {
                add(commitment);
            }
            return holder;
        }
    }

    /** Adds tags to a commitment; empty when there is no such commitment. */
    public Optional<Commitment> tag(Cloud cloud, String type, String id, Map<String, String> tags) {
        synchronized (lock) {
            settleDue();
            Commitment c = commitments.get(slot(cloud, type, id));
            if (c == null) {
                return Optional.empty();
            }
            Commitment tagged = c.withTags(tags);
            if (!stale) {
                store(slot(cloud, type, id), tagged);
            }
            return Optional.of(tagged);
        }
    }

    /** Forgets every commitment and puts the catalog back to {@code seed}. */
    void reset(List<Offering> seed) {
        synchronized (lock) {
            commitments.clear();
            groups.clear();
            unsettled.clear();
            usage.clear();
            catalog.clear();
            catalog.addAll(seed);
        }
    }

    private static String slot(Cloud cloud, String type, String id) {
        return cloud + "|" + type + "|" + id;
    }
}
