package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;

import java.util.Map;
import java.util.regex.Pattern;

/** An account to register. Validated on construction; errors name the field. */
public record NewAccount(Cloud cloud, String externalId, String name, Map<String, String> credentials) {
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9/][A-Za-z0-9._:/@-]{0,199}");
    private static final Pattern CREDENTIAL_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public NewAccount {
        if (cloud == null) {
            throw new ValidationException("cloud", "is required; allowed: aws, azure, gcp");
        }
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            throw new ValidationException("externalId",
                    "must be 1-200 characters: letters, digits and . _ : / @ -, starting with a letter, digit or /");
        }
        name = AccountNames.check(name);
        credentials = checkCredentials(credentials);
    }

    static Map<String, String> checkCredentials(Map<String, String> given) {
        Map<String, String> credentials = given == null ? Map.of() : Map.copyOf(given);
        if (credentials.size() > 16) {
            throw new ValidationException("credentials", "at most 16 entries, got " + credentials.size());
        }
        for (Map.Entry<String, String> e : credentials.entrySet()) {
            if (!CREDENTIAL_KEY.matcher(e.getKey()).matches()) {
                throw new ValidationException("credentials", "key '" + e.getKey()
                        + "' is not valid; keys are 1-64 characters: a letter, then letters, digits and _ . -");
            }
            if (e.getValue() == null || e.getValue().length() > 4096) {
                throw new ValidationException("credentials." + e.getKey(), "must be a string of at most 4096 characters");
            }
        }
        return credentials;
    }

    @Override
    public String toString() {
        return "NewAccount[" + cloud + ", " + externalId + ", " + name + ", credential fields "
                + new java.util.TreeSet<>(credentials.keySet()) + "]";
    }
}
