package dev.pledge.app.testing;

import dev.pledge.common.spi.ExecutorRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.util.List;

/** Replaces the ServiceLoader executors with the in-memory cloud for Spring tests. */
@TestConfiguration(proxyBeanMethods = false)
public class InMemoryExecutors {

    @Bean
    public InMemoryRdsCloud inMemoryRdsCloud() {
        return new InMemoryRdsCloud();
    }

    @Bean
    @Primary
    public ExecutorRegistry inMemoryExecutorRegistry(InMemoryRdsCloud cloud) {
        return new ExecutorRegistry(List.of(cloud));
    }
}
