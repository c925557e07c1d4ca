package dev.pledge.app.console;

import dev.pledge.app.security.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonMappingTest {
    private static ConsoleProperties.Oidc oidc(Map<Role, List<String>> groups) {
        return new ConsoleProperties.Oidc("https://idp.example.com", "pledge", null, "email", "groups", groups,
                List.of("openid", "email"));
    }

    @Test
    void the_person_is_the_identity_claim_and_mapped_groups_give_roles() {
        PersonMapping m = new PersonMapping(oidc(Map.of(Role.APPROVER, List.of("finops-approvers"))));
        Person p = m.person(Map.of("email", "ada@example.com", "sub", "123",
                "groups", List.of("finops-approvers", "everyone", "viewer")));
        assertThat(p.id()).isEqualTo("ada@example.com");
        // APPROVER through its mapping; VIEWER has no mapping, so a group of its name grants it
        assertThat(p.roles()).containsExactlyInAnyOrder(Role.APPROVER, Role.VIEWER);
        assertThat(p.via()).isEqualTo("sso");
    }

    @Test
    void a_mapped_role_is_not_granted_by_a_group_of_its_name() {
        PersonMapping m = new PersonMapping(oidc(Map.of(Role.ADMIN, List.of("pledge-admins"))));
        assertThat(m.roles(List.of("ADMIN"))).isEmpty();
        assertThat(m.roles("pledge-admins requester")).isEqualTo(Set.of(Role.ADMIN, Role.REQUESTER));
    }

    @Test
    void claims_that_cannot_name_a_person_are_refused_with_the_claim_named() {
        PersonMapping m = new PersonMapping(oidc(Map.of()));
        assertThatThrownBy(() -> m.person(Map.of("sub", "123"))).hasMessageContaining("'email' claim");
        assertThatThrownBy(() -> m.person(Map.of("email", "key:0f0e"))).hasMessageContaining("looks like an actor");
        assertThatThrownBy(() -> m.person(Map.of("email", "a\u0000b"))).hasMessageContaining("control characters");
    }
}
