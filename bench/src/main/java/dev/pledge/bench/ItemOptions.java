package dev.pledge.bench;

import dev.pledge.common.model.CommitmentType;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The commitment each benchmark item buys. The defaults are an offering the emulator's catalog sells. */
final class ItemOptions {

    @Option(names = "--type", defaultValue = "aws-rds", converter = TypeConverter.class,
            description = "Commitment type slug. Default: ${DEFAULT-VALUE}.")
    CommitmentType type;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--offering", defaultValue = "db.r6g.large", description = "Default: ${DEFAULT-VALUE}.")
    String offering;

    @Option(names = "--term", defaultValue = "1y", description = "Default: ${DEFAULT-VALUE}.")
    String term;

    @Option(names = "--payment", defaultValue = "no-upfront", description = "Default: ${DEFAULT-VALUE}.")
    String payment;

    @Option(names = "--attribute", paramLabel = "<key=value>", description = "A type-specific attribute (repeatable).")
    Map<String, String> attributes = new LinkedHashMap<>();

    Seeder.ItemSpec spec() {
        return new Seeder.ItemSpec(type, region, offering, 1, term, type.takesPayment() ? payment : null, attributes);
    }

    static final class TypeConverter implements picocli.CommandLine.ITypeConverter<CommitmentType> {
        @Override
        public CommitmentType convert(String value) {
            return CommitmentType.fromSlug("--type", value);
        }
    }
}
