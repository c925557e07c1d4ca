package dev.pledge.app.web;

import dev.pledge.app.security.ApiProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The web API's infrastructure: the body size limit and the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    /** Runs before security, so an oversized body is refused before anything reads it. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(ApiProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    OpenAPI pledgeOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Pledge API").version("v1").description(
                        "Buys cloud commitments behind an approval workflow, never twice. Every endpoint except "
                                + "health and these documents needs 'Authorization: Bearer <API key>'. Errors are "
                                + "RFC 9457 problem details naming the field at fault."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").description("a Pledge API key")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
