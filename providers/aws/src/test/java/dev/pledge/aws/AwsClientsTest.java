package dev.pledge.aws;

import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** One SDK client per (service, account, region, retry mode), built once and reused. */
class AwsClientsTest {

    @Test
    void a_client_is_built_once_per_service_account_region_and_retry_mode() {
        try (AwsClients clients = new AwsClients(ProviderSettings.emulator(URI.create("http://127.0.0.1:9")))) {
            RdsClient first = clients.client(AwsService.RDS, RdsClient.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.BOUNDED);
            RdsClient again = clients.client(AwsService.RDS, RdsClient.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.BOUNDED);
            RdsClient otherRegion = clients.client(AwsService.RDS, RdsClient.class, "123456789012", "eu-west-1",
                    AwsClients.Attempts.BOUNDED);
            RdsClient otherAccount = clients.client(AwsService.RDS, RdsClient.class, "210987654321", "us-east-1",
                    AwsClients.Attempts.BOUNDED);
            Ec2Client bounded = clients.client(AwsService.EC2, Ec2Client.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.BOUNDED);
            Ec2Client once = clients.client(AwsService.EC2, Ec2Client.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.ONCE);

            assertThat(again).isSameAs(first);
            assertThat(otherRegion).isNotSameAs(first);
            assertThat(otherAccount).isNotSameAs(first);
            assertThat(once).isNotSameAs(bounded);
            assertThat(clients.client(AwsService.EC2, Ec2Client.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.ONCE)).isSameAs(once);
        }
    }

    @Test
    void forgetting_an_account_rebuilds_its_clients_and_leaves_other_accounts_alone() {
        try (AwsClients clients = new AwsClients(ProviderSettings.emulator(URI.create("http://127.0.0.1:9")))) {
            RdsClient replaced = clients.client(AwsService.RDS, RdsClient.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.BOUNDED);
            RdsClient other = clients.client(AwsService.RDS, RdsClient.class, "210987654321", "us-east-1",
                    AwsClients.Attempts.BOUNDED);

            clients.forget("123456789012");

            assertThat(clients.client(AwsService.RDS, RdsClient.class, "123456789012", "us-east-1",
                    AwsClients.Attempts.BOUNDED)).isNotSameAs(replaced);
            assertThat(clients.client(AwsService.RDS, RdsClient.class, "210987654321", "us-east-1",
                    AwsClients.Attempts.BOUNDED)).isSameAs(other);
        }
    }
}
