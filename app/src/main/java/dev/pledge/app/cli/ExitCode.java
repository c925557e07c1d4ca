package dev.pledge.app.cli;

/**
 * The exit codes of every {@code pledge} command. Scripts branch on these, so they never change
 * meaning; the help footer and the README list them.
 */
public final class ExitCode {
    /** Bought, already owned, recovered, dry run, or the command did what it was asked. */
    public static final int OK = 0;
    /** Something unexpected: a bug, or a server/emulator that could not start. */
    public static final int INTERNAL = 1;
    /** A flag is missing, unknown or has a bad value; nothing was sent. */
    public static final int USAGE = 2;
    /**
     * Refused: the cloud or server rejected the request, an identical recent purchase, the guard could not
     * decide, an earlier run with the token may still be buying (try again at the time given), or not
     * confirmed. Nothing was bought.
     */
    public static final int REFUSED = 3;
    /** The purchase was sent and no answer came back: it may have been bought. */
    public static final int OUTCOME_UNKNOWN = 4;

    // The help footers' exit-code list, in picocli's "code:description" form (annotation constants).
    static final String HELP_OK = "0:done: bought, already owned, recovered, or dry run (nothing bought)";
    static final String HELP_INTERNAL = "1:unexpected error (a bug, or the server/emulator could not start)";
    static final String HELP_USAGE = "2:usage error: a flag is missing, unknown or invalid; nothing was sent";
    static final String HELP_REFUSED = "3:refused: rejected by the cloud or server, an identical purchase in the "
            + "last 24 h, the guard could not decide, an earlier run with the token may still be buying (try "
            + "again at the time given), or not confirmed; nothing was bought";
    static final String HELP_UNKNOWN = "4:outcome unknown: the purchase was sent and no answer came back; it may "
            + "have been bought (re-run with the same --token and journal to settle it)";

    private ExitCode() {
    }
}
