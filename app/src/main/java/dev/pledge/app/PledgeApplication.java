package dev.pledge.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Pledge service: approvals, the execution engine and persistence on PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PledgeApplication {

    public static ConfigurableApplicationContext run(String... args) {
        return SpringApplication.run(PledgeApplication.class, args);
    }

    public static void main(String[] args) {
        run(args);
    }
}
