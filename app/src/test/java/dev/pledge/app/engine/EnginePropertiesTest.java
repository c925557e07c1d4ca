package dev.pledge.app.engine;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EnginePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({EngineProperties.class, CloudProperties.class})
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    private void refused(String property, String expectedMessage) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).hasMessageContaining(expectedMessage);
        });
    }

    @Test
    void the_defaults_bind_and_are_consistent() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            EngineProperties p = context.getBean(EngineProperties.class);
            assertThat(p.lease()).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.heartbeat()).isLessThan(p.lease());
            assertThat(p.workers()).isEqualTo(4);
            assertThat(context.getBean(CloudProperties.class).endpoint()).isNull();
            assertThat(context.getBean(CloudProperties.class).offeringCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void the_lock_busy_backoff_and_the_confirmation_sweep_have_defaults_and_refuse_zero_naming_the_property() {
        runner.run(context -> {
            EngineProperties p = context.getBean(EngineProperties.class);
            assertThat(p.lockBusyBackoff()).isEqualTo(Duration.ofMillis(200));
            assertThat(p.confirmationSweepInterval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.confirmationSweepDeadline()).isEqualTo(Duration.ofSeconds(40));
        });
        refused("pledge.engine.lock-busy-backoff=0ms", "pledge.engine.lock-busy-backoff must be a positive duration");
        refused("pledge.engine.confirmation-sweep-interval=0s",
                "pledge.engine.confirmation-sweep-interval must be a positive duration");
        runner.withPropertyValues("pledge.engine.confirmation-sweep-interval=10s",
                "pledge.engine.confirmation-sweep-deadline=10s").run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).hasMessageContaining("pledge.engine.confirmation-sweep-deadline (PT10S) must be shorter "
                    + "than pledge.engine.confirmation-sweep-interval");
        });
    }

    @Test
    void a_zero_lease_is_refused_naming_the_property() {
        refused("pledge.engine.lease=0s", "pledge.engine.lease must be a positive duration");
    }

    @Test
    void a_negative_heartbeat_is_refused_naming_the_property() {
        refused("pledge.engine.heartbeat=-5s", "pledge.engine.heartbeat must be a positive duration");
    }

    @Test
    void a_zero_approval_ttl_is_refused_naming_the_property() {
        refused("pledge.engine.approval-ttl=0", "pledge.engine.approval-ttl must be a positive duration");
    }

    @Test
    void a_heartbeat_not_shorter_than_the_lease_is_refused() {
        refused("pledge.engine.heartbeat=2m", "pledge.engine.heartbeat (PT2M) must be shorter than pledge.engine.lease");
    }

    @Test
    void a_sweep_deadline_not_shorter_than_its_interval_is_refused() {
        refused("pledge.engine.lease-sweep-deadline=30s",
                "pledge.engine.lease-sweep-deadline (PT30S) must be shorter than pledge.engine.lease-sweep-interval");
    }

    @Test
    void zero_workers_are_refused() {
        refused("pledge.engine.workers=0", "pledge.engine.workers must be 1-256, was 0");
    }

    @Test
    void the_lease_sweep_follows_the_lease_unless_set_so_recovery_stays_within_one_and_a_quarter_leases() {
        runner.run(context -> {
            EngineProperties p = context.getBean(EngineProperties.class);
            assertThat(p.leaseSweepInterval()).isEqualTo(Duration.ofSeconds(15));
            assertThat(p.leaseSweepDeadline()).isEqualTo(Duration.ofSeconds(10));
        });
        runner.withPropertyValues("pledge.engine.lease=10s", "pledge.engine.heartbeat=2s").run(context -> {
            EngineProperties p = context.getBean(EngineProperties.class);
            assertThat(p.leaseSweepInterval()).isEqualTo(Duration.ofMillis(2500));
            assertThat(p.leaseSweepDeadline()).isLessThan(p.leaseSweepInterval());
        });
        runner.withPropertyValues("pledge.engine.lease=2s", "pledge.engine.heartbeat=500ms").run(context ->
                assertThat(context.getBean(EngineProperties.class).leaseSweepInterval()).isEqualTo(Duration.ofSeconds(1)));
        runner.withPropertyValues("pledge.engine.lease=1h").run(context ->
                assertThat(context.getBean(EngineProperties.class).leaseSweepInterval()).isEqualTo(Duration.ofSeconds(30)));
        runner.withPropertyValues("pledge.engine.lease-sweep-interval=45s").run(context -> {
            EngineProperties p = context.getBean(EngineProperties.class);
            assertThat(p.leaseSweepInterval()).isEqualTo(Duration.ofSeconds(45));
            assertThat(p.leaseSweepDeadline()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void a_negative_offering_cache_ttl_is_refused_naming_the_property() {
        refused("pledge.cloud.offering-cache-ttl=-1s", "pledge.cloud.offering-cache-ttl must not be negative");
    }

    @Test
    void an_offering_cache_ttl_of_zero_binds_and_reaches_the_provider_settings_as_disabled() {
        runner.withPropertyValues("pledge.cloud.offering-cache-ttl=0").run(context -> {
            assertThat(context).hasNotFailed();
            CloudProperties cloud = context.getBean(CloudProperties.class);
            assertThat(cloud.toSettings(null, java.time.Clock.systemUTC()).offeringCacheTtl()).isZero();
        });
        runner.withPropertyValues("pledge.cloud.offering-cache-ttl=90s").run(context -> assertThat(
                context.getBean(CloudProperties.class).toSettings(null, java.time.Clock.systemUTC())
                        .offeringCacheTtl()).isEqualTo(Duration.ofSeconds(90)));
    }

    @Test
    void a_zero_cloud_timeout_is_refused_naming_the_property() {
        refused("pledge.cloud.call-timeout=0s", "pledge.cloud.call-timeout must be a positive duration");
    }
}
