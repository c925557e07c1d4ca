package dev.pledge.common.spi;

/** How a successful purchase call ended. All three mean "the item is owned now". */
public enum OutcomeKind {
    /** This call bought it. */
    BOUGHT,
    /** The guard found it before buying; nothing was bought. */
    ALREADY_OWNED,
    /** The cloud said our key already exists; a describe confirmed it is ours. */
    RECOVERED
}
