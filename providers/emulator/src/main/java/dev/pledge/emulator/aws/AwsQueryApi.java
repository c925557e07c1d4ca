package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudApi;
import dev.pledge.emulator.CloudCall;
import dev.pledge.emulator.CloudRequest;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A service on the AWS query protocol as RDS, ElastiCache, Redshift and STS speak it:
 * form-encoded {@code POST /} with {@code Action}, answered by
 * {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/></ActionResponse>}
 * and errors as {@code <ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>}.
 */
abstract class AwsQueryApi implements CloudApi {
    private final String signingName;
    private final String namespace;
    private final String type;

    AwsQueryApi(String signingName, String namespace, String type) {
        this.signingName = signingName;
        this.namespace = namespace;
        this.type = type;
    }

    /** Action name -> what kind of call it is. */
    abstract Map<String, CallKind> operations();

    /** Answers one action. */
    abstract CloudResponse answer(String action, Map<String, String> form, AwsSignature who, CloudState state);

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        if (!"POST".equals(request.method()) || !"/".equals(request.path())
                || !signingName.equals(AwsSignature.of(request).service())) {
            return Optional.empty();
        }
        String action = request.form().get("Action");
        CallKind kind = action == null ? null : operations().get(action);
        return kind == null ? Optional.empty() : Optional.of(new CloudCall(Cloud.AWS, type, action, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        return answer(call.operation(), request.form(), AwsSignature.of(request), state);
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        return fault(status, code != null ? code : defaultCode(status), message);
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return fault(400, "Throttling", "Rate exceeded");
    }

    CloudResponse ok(String action, String resultXml) {
        return CloudResponse.xml(200, "<" + action + "Response xmlns=\"" + namespace + "\"><" + action + "Result>"
                + resultXml + "</" + action + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    CloudResponse fault(int status, String code, String message) {
        return CloudResponse.xml(status, "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender") + "</Type>" + new Xml().el("Code", code)
                .el("Message", message) + "</Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    static String defaultCode(int status) {
        return switch (status) {
            case 503 -> "ServiceUnavailable";
            case 429 -> "Throttling";
            case 403 -> "AccessDenied";
            case 404 -> "NotFound";
            default -> status >= 500 ? "InternalFailure" : "InvalidParameterValue";
        };
    }

    /** A query-protocol list of structures: {@code prefix.1.Key}, {@code prefix.1.Value}, ... */
    static Map<String, String> tags(Map<String, String> form, String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; form.containsKey(prefix + "." + i + ".Key"); i++) {
            tags.put(form.get(prefix + "." + i + ".Key"), form.getOrDefault(prefix + "." + i + ".Value", ""));
        }
        return tags;
    }

    /** A query-protocol list of strings: {@code prefix.1}, {@code prefix.2}, ... */
    static List<String> strings(Map<String, String> form, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + "." + i); i++) {
            out.add(form.get(prefix + "." + i));
        }
        return out;
    }

    static int intParam(Map<String, String> form, String name, int otherwise) {
        String v = form.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }
}
