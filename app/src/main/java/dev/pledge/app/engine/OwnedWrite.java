package dev.pledge.app.engine;

/** What a worker's write, conditioned on {@code claimed_by = me}, did. */
enum OwnedWrite {
    /** The row was ours and the write changed it. */
    APPLIED,
    /** Another worker (or a sweep) owns the execution now: our lease was taken over. */
    NOT_OWNER,
    /** The row was ours but the write changed nothing: never expected, logged as an error and counted. */
    OWNED_UNCHANGED;

    static OwnedWrite of(long owned, long changed) {
        if (owned == 0) {
            return NOT_OWNER;
        }
        return changed > 0 ? APPLIED : OWNED_UNCHANGED;
    }
}
