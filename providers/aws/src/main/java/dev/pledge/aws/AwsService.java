package dev.pledge.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.memorydb.MemoryDbClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.savingsplans.SavingsplansClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.function.Supplier;

/** The AWS services the executors call, each with its SDK client builder. */
enum AwsService {
    EC2(Ec2Client::builder),
    RDS(RdsClient::builder),
    ELASTICACHE(ElastiCacheClient::builder),
    MEMORYDB(MemoryDbClient::builder),
    OPENSEARCH(OpenSearchClient::builder),
    REDSHIFT(RedshiftClient::builder),
    SAVINGSPLANS(SavingsplansClient::builder),
    STS(StsClient::builder),
    COST_EXPLORER(software.amazon.awssdk.services.costexplorer.CostExplorerClient::builder);

    private final Supplier<AwsClientBuilder<?, ?>> builder;

    AwsService(Supplier<AwsClientBuilder<?, ?>> builder) {
        this.builder = builder;
    }

    AwsClientBuilder<?, ?> builder() {
        return builder.get();
    }
}
