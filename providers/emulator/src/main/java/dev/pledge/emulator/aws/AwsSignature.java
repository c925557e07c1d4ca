package dev.pledge.emulator.aws;

import dev.pledge.emulator.CloudRequest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who signed an AWS request and for what, read from the SigV4 {@code Authorization} header. The
 * emulator does not check signatures; it uses the access key id as the account when it is a
 * 12-digit account id (the AWS executors sign emulator calls that way, and the emulated STS
 * hands out such keys), else {@link #DEFAULT_ACCOUNT}.
 */
record AwsSignature(String accessKeyId, String region, String service) {
    static final String DEFAULT_ACCOUNT = "000000000000";
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    static AwsSignature of(CloudRequest request) {
        String auth = request.header("Authorization");
        if (auth != null) {
            Matcher m = CREDENTIAL.matcher(auth);
            if (m.find()) {
                return new AwsSignature(m.group(1), m.group(2), m.group(3));
            }
        }
        return new AwsSignature("", "us-east-1", "");
    }

    String account() {
        return accessKeyId.matches("\\d{12}") ? accessKeyId : DEFAULT_ACCOUNT;
    }
}
