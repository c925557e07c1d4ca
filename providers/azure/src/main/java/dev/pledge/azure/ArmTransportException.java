package dev.pledge.azure;

/**
 * No HTTP answer came back from ARM. {@link #requestSent()} says whether the request may have
 * reached Azure: a refused connection did not, a reset or a read timeout may have.
 */
final class ArmTransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean requestSent;

    ArmTransportException(String message, boolean requestSent, Throwable cause) {
        super(message, cause);
        this.requestSent = requestSent;
    }

    boolean requestSent() {
        return requestSent;
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
