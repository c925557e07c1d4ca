package dev.pledge.emulator;

/** What a recognised cloud call does, so fixtures can count purchases and guard lookups apart. */
public enum CallKind {
    /** Buys a commitment. */
    PURCHASE,
    /** Looks bought commitments up (describe, get, list): what a guard does. */
    LOOKUP,
    /** Lists or prices offerings from the catalog. */
    OFFERINGS,
    /** Tags a commitment. */
    TAG,
    /** Anything else: credentials (STS), operation polls. */
    OTHER
}
