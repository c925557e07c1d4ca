package dev.pledge.app.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** The console's style sheets and scripts (htmx from its webjar, no Node build), and {@link Person} parameters. */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {
    /** The htmx webjar's version (pom.xml {@code htmx.version}); the browser tests load it through a page. */
    static final String HTMX_VERSION = "2.0.8";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**")
                .addResourceLocations("classpath:/console/assets/",
                        "classpath:/META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/")
                .setCachePeriod(3600);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new People());
    }
}
