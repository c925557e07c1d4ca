package dev.pledge.app.console;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Objects;

/** A console session opened with an API key (demo mode): the person and roles of the key, never the key. */
final class KeySignIn extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;
    private final Person person;

    KeySignIn(Person person) {
        super(person.roles().stream().sorted().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
        this.person = person;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Person getPrincipal() {
        return person;
    }

    @Override
    public String getName() {
        return person.id();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySignIn other && person.equals(other.person);
    }

    @Override
    public int hashCode() {
        return Objects.hash(person);
    }
}
