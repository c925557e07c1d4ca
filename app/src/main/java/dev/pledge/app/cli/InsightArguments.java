package dev.pledge.app.cli;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters {@code pledge recommendations} and {@code pledge commitments} share, checked before anything is
 * sent: a bad value is a usage error (exit 2) naming its flag. An account is given as Pledge's id or as the
 * cloud's own (an AWS account number, an Azure subscription, a GCP project), looked up on the server.
 */
final class InsightArguments {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})\\s*d?", Pattern.CASE_INSENSITIVE);

    private InsightArguments() {
    }

    static boolean isUuid(String s) {
        return s != null && UUID_TEXT.matcher(s.trim()).matches();
    }

    static String cloud(String value, CommandSpec spec) {
        try {
            return Cloud.fromSlug("--cloud", value).slug();
        } catch (ValidationException e) {
            throw new ParameterException(spec.commandLine(), "--cloud: " + e.problem());
        }
    }

    static String type(String value, String cloud, CommandSpec spec) {
        CommitmentType t;
        try {
            t = CommitmentType.fromSlug("--type", value);
        } catch (ValidationException e) {
            throw new ParameterException(spec.commandLine(), "--type: " + e.problem());
        }
        if (cloud != null && !t.cloud().slug().equals(cloud)) {
            throw new ParameterException(spec.commandLine(), "--type: " + t.slug() + " is an " + t.cloud().slug()
                    + " type, not " + cloud + " (--cloud)");
        }
        return t.slug();
    }

    /** {@code 90d} or {@code 90}: a number of days, 0-3650. */
    static int days(String flag, String value, CommandSpec spec) {
        Matcher m = DAYS.matcher(value.trim());
        int days = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (days < 0 || days > 3650) {
            throw new ParameterException(spec.commandLine(), flag + ": '" + value
                    + "' is not a number of days such as 90d (0-3650)");
        }
        return days;
    }

    static BigDecimal decimal(String flag, String value, CommandSpec spec) {
        try {
            BigDecimal d = new BigDecimal(value.trim());
            if (d.signum() < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), flag + ": '" + value
                    + "' is not a decimal number of 0 or more, such as 25.50");
        }
    }

    /**
     * The account id the API filters on: a UUID as given, otherwise the account whose cloud id it is (found on the
     * server; none is "not found", exit 3, naming the accounts it knows).
     */
    static String account(String value, String cloud, ApiClient client) {
        String v = value.trim();
        if (isUuid(v)) {
            return UUID.fromString(v).toString();
        }
        List<String> known = new ArrayList<>();
        List<String> matches = new ArrayList<>();
        for (JsonNode a : client.get("/api/v1/accounts").path("accounts")) {
            String external = a.path("externalId").asString("");
            known.add(a.path("cloud").asString("") + " " + external);
            if (external.equalsIgnoreCase(v) && (cloud == null || cloud.equals(a.path("cloud").asString("")))) {
                matches.add(a.path("id").asString());
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new CliFailure(ExitCode.REFUSED, "--account: the server has no account '" + v + "'"
                    + (cloud == null ? "" : " in " + cloud) + "; it has: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)));
        }
        throw new CliFailure(ExitCode.USAGE, "--account: '" + v + "' is an account of several clouds; add --cloud "
                + "or give Pledge's account id");
    }

    /** {@code ?a=1&b=2} from name/value pairs, skipping null values; empty when all are null. */
    static String query(Object... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            if (v == null) {
                continue;
            }
            String text = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            q.append(q.length() == 0 ? '?' : '&').append(pairs[i]).append('=')
                    .append(URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
        return q.toString();
    }
}
