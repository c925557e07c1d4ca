package dev.pledge.app.security;

/**
 * Who performs an admin action: what the audit trail records ({@link #actor()}), the person behind it
 * whom admin four-eyes compares ({@link #owner()}), and how messages name them. An API key
 * ({@link ApiPrincipal}) or a person signed in to the console.
 */
public interface Actor {
    String actor();

    String owner();

    String describe();
}
