package dev.pledge.emulator.aws;

import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS {@code AssumeRole} and {@code GetCallerIdentity}: the temporary access key handed out is
 * the role's 12-digit account id, so every later call signed with it lands in that account.
 */
public final class StsApi extends AwsQueryApi {
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

    public StsApi() {
        super("sts", "https://sts.amazonaws.com/doc/2011-06-15/", null);
    }

    @Override
    Map<String, CallKind> operations() {
        return Map.of("AssumeRole", CallKind.OTHER, "GetCallerIdentity", CallKind.OTHER);
    }

    @Override
    CloudResponse answer(String action, Map<String, String> form, AwsSignature who, CloudState state) {
        if ("GetCallerIdentity".equals(action)) {
            return ok(action, new Xml().el("UserId", who.accessKeyId()).el("Account", who.account())
                    .el("Arn", "arn:aws:iam::" + who.account() + ":user/pledge-emulator").toString());
        }
        String roleArn = form.get("RoleArn");
        Matcher m = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
        if (m == null || !m.matches()) {
            return fault(400, "ValidationError", "RoleArn '" + roleArn + "' is not a role ARN");
        }
        if (form.get("RoleSessionName") == null) {
            return fault(400, "ValidationError", "RoleSessionName is required");
        }
        String account = m.group(1);
        Xml xml = new Xml().open("Credentials").el("AccessKeyId", account)
                .el("SecretAccessKey", "pledge-emulator-secret").el("SessionToken", "pledge-emulator-session")
                .el("Expiration", state.now().plus(Duration.ofHours(1))).close("Credentials")
                .open("AssumedRoleUser").el("AssumedRoleId", "AROAPLEDGE:" + form.get("RoleSessionName"))
                .el("Arn", roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/"
                        + form.get("RoleSessionName"))
                .close("AssumedRoleUser");
        return ok(action, xml.toString());
    }
}
