package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one WireMock extension behind the catch-all stub: control API requests go to
 * {@link ControlApi}; every other request goes to the first {@link CloudApi} that recognises it,
 * with the call counted and any armed fault applied around the plug-in's handling.
 */
final class CloudDispatcher implements ResponseDefinitionTransformerV2 {
    private static final Logger log = LoggerFactory.getLogger(CloudDispatcher.class);
    private final Emulator emulator;
    private final ControlApi control;

    CloudDispatcher(Emulator emulator) {
        this.emulator = emulator;
        this.control = new ControlApi(emulator);
    }

    @Override
    public String getName() {
        return "pledge-cloud-dispatcher";
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        CloudRequest request = toCloudRequest(serveEvent.getRequest());
        if (request.path().startsWith(ControlApi.PREFIX)) {
            return respond(control.handle(request), 0).build();
        }
        for (CloudApi api : emulator.apis()) {
            Optional<CloudCall> call;
            try {
                call = api.recognise(request);
            } catch (RuntimeException e) {
                // a plug-in that cannot read a request it does not own must not hide it from the others
                log.debug("{} could not read {} {}: {}", api.getClass().getSimpleName(), request.method(),
                        request.path(), e.toString());
                continue;
            }
            if (call.isPresent()) {
                return dispatch(api, call.get(), request);
            }
        }
        log.debug("no emulated API recognises {} {}", request.method(), request.path());
        return respond(CloudResponse.json(404, Map.of("message", "no emulated API recognises " + request.method()
                + " " + request.path())), 0).build();
    }

    private ResponseDefinition dispatch(CloudApi api, CloudCall call, CloudRequest request) {
        long start = System.nanoTime();
        emulator.counters().count(call);
        Optional<FaultSpec> fault = emulator.faults().take(call);
        long delay = emulator.latency().toMillis() + fault.filter(f -> f.fault() == FaultKind.DELAY)
                .map(FaultSpec::delayMs).orElse(0L);
        try {
            return dispatch(api, call, request, fault, delay);
        } finally {
            // the answer leaves after the handling plus the delay (WireMock schedules it then)
            emulator.timeline().record(start, System.nanoTime() + delay * 1_000_000);
        }
    }

    private ResponseDefinition dispatch(CloudApi api, CloudCall call, CloudRequest request,
                                        Optional<FaultSpec> fault, long delay) {
        if (fault.isEmpty()) {
            return respond(handle(api, call, request, emulator.state()), delay).build();
        }
        FaultSpec f = fault.get();
        log.debug("fault {} on {} {} {}", f.fault(), call.cloud().slug(), call.type(), call.operation());
        return switch (f.fault()) {
            case ERROR -> respond(api.error(call, request, f.status(), f.code(), "injected fault"), delay).build();
            case THROTTLE -> respond(api.throttled(call, request), delay).build();
            case DELAY -> respond(handle(api, call, request, emulator.state()), delay).build();
            case STALE_READ -> respond(handle(api, call, request, emulator.state().staleView()), delay).build();
            case RESET_BEFORE_COMMIT -> reset(delay);
            case REFUSED -> respond(api.refused(call, request), delay).build();
            case RESET_AFTER_COMMIT, COMMIT_THEN_THROTTLE -> {
                handle(api, call, request, emulator.state());
                yield reset(delay);
            }
        };
    }

    private CloudResponse handle(CloudApi api, CloudCall call, CloudRequest request, CloudState state) {
        try {
            return api.handle(call, request, state);
        } catch (RuntimeException e) {
            log.warn("emulated {} {} failed: {}", call.cloud().slug(), call.operation(), e.toString());
            return api.error(call, request, 500, null, "emulator error: " + e.getMessage());
        }
    }

    private static ResponseDefinition reset(long delay) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition()
                .withFault(Fault.CONNECTION_RESET_BY_PEER);
        if (delay > 0) {
            b.withFixedDelay((int) delay);
        }
        return b.build();
    }

    private static ResponseDefinitionBuilder respond(CloudResponse r, long delay) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(r.status())
                .withBody(r.body());
        r.headers().forEach(b::withHeader);
        if (delay > 0) {
            b.withFixedDelay((int) delay);
        }
        return b;
    }

    private static CloudRequest toCloudRequest(Request r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpHeader h : r.getHeaders().all()) {
            headers.put(h.key(), h.firstValue());
        }
        return CloudRequest.of(r.getMethod().getName(), r.getUrl(), headers, r.getBodyAsString());
    }
}
