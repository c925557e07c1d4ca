package dev.pledge.app.security;

import dev.pledge.app.execution.FourEyes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Four-eyes by owner for the service (pledge.api.four-eyes, on by default). */
@Configuration(proxyBeanMethods = false)
class OwnerFourEyes {
    @Bean
    FourEyes fourEyes(ApiProperties api, ApiKeyService keys) {
        return api.fourEyes() ? FourEyes.byOwner(keys::ownerOf) : FourEyes.OFF;
    }
}
