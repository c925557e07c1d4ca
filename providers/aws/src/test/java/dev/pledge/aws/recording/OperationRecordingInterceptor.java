package dev.pledge.aws.recording;

import dev.pledge.common.recording.RecordedOperations;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Collection;
import java.util.Map;

/**
 * Records every AWS operation any SDK client invokes during this module's tests (the executors'
 * clients and the STS client behind an assume-role credential alike), as {@code Service:Operation}
 * lines ({@code +Tags} when the request tags what it creates) in {@code target/cloud-operations/aws-operations.txt}, for the permission cross-check in
 * infra/ (CloudPermissionsTest). The SDK loads it for every client it builds through the classpath
 * resource {@code software/amazon/awssdk/global/handlers/execution.interceptors}; no test or
 * executor has to know about it. It never changes a request and never fails one: a problem
 * writing the file is printed and the line skipped.
 */
public final class OperationRecordingInterceptor implements ExecutionInterceptor {
    static final String FILE = "aws-operations.txt";
    private static final RecordedOperations OPERATIONS =
            new RecordedOperations(FILE, OperationRecordingInterceptor.class);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)
                + (carriesTags(context.request()) ? "+Tags" : "");
        OPERATIONS.record(operation);
    }

    /** Tagging on create is authorised separately (e.g. rds:AddTagsToResource), so it is recorded too. */
    private static boolean carriesTags(SdkRequest request) {
        for (String field : new String[] {"Tags", "tags"}) {
            try {
                Object tags = request.getValueForField(field, Object.class).orElse(null);
                if (tags instanceof Collection<?> c && !c.isEmpty() || tags instanceof Map<?, ?> m && !m.isEmpty()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // no such field on this request
            }
        }
        return false;
    }
}
