package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The emulator's own JSON API under {@code /__pledge/}, on the cloud port. Bad input is a 400
 * whose {@code message} names the field.
 */
final class ControlApi {
    static final String PREFIX = "/__pledge/";
    private final Emulator emulator;
    private final InsightControl insights;

    ControlApi(Emulator emulator) {
        this.emulator = emulator;
        this.insights = new InsightControl(emulator);
    }

    CloudResponse handle(CloudRequest r) {
        String route = r.method() + " " + r.path().substring(PREFIX.length() - 1).replaceAll("/+$", "");
        try {
            return switch (route) {
                case "GET /commitments" -> ok(emulator.state().commitments(commitmentFilter(r)).stream()
                        .map(EmulatorJson::commitment).toList());
                case "POST /commitments" -> {
                    Commitment c = EmulatorJson.toCommitment(r.json(), emulator.state().offerings());
                    yield CloudResponse.json(201, EmulatorJson.commitment(emulator.state().add(c)));
                }
                case "GET /offerings" -> ok(emulator.state().offerings().stream().filter(offeringFilter(r))
                        .map(EmulatorJson::offering).toList());
                case "POST /offerings" -> {
                    Offering o = EmulatorJson.toOffering(r.json());
                    emulator.state().addOffering(o);
                    yield CloudResponse.json(201, EmulatorJson.offering(o));
                }
                case "GET /faults" -> ok(emulator.faults().armed().stream().map(EmulatorJson::fault).toList());
                case "POST /faults" -> {
                    FaultSpec f = EmulatorJson.toFault(r.json());
                    emulator.inject(f);
                    yield CloudResponse.json(201, EmulatorJson.fault(f));
                }
                case "DELETE /faults" -> {
                    emulator.clearFaults();
                    yield ok(Map.of("faults", 0));
                }
                case "GET /requests" -> ok(emulator.requestCounts().stream().map(EmulatorJson::count).toList());
                case "GET /requests/in-flight" -> {
                    CallTimeline.InFlight f = emulator.timeline().inFlight();
                    yield ok(Map.of("calls", f.calls(), "peak", f.peak(),
                            "mean", Math.round(f.mean() * 100) / 100.0, "spanMs", Math.round(f.spanMs()),
                            "busyMs", Math.round(f.busyMs())));
                }
                case "DELETE /requests" -> {
                    emulator.clearRequestCounts();
                    yield ok(Map.of("requests", 0));
                }
                case "POST /reset" -> {
                    emulator.reset();
                    yield ok(Map.of("reset", true));
                }
                case "GET /latency" -> ok(Map.of("latencyMs", emulator.latency().toMillis()));
                case "POST /latency", "PUT /latency" -> {
                    int ms = EmulatorJson.integer(r.json(), "latencyMs", -1);
                    if (ms < 0) {
                        throw new IllegalArgumentException("latencyMs: is required, 0 or more");
                    }
                    emulator.setLatency(java.time.Duration.ofMillis(ms));
                    yield ok(Map.of("latencyMs", ms));
                }
                case "GET /clock" -> clock();
                case "POST /clock" -> {
                    if (EmulatorJson.integer(r.json(), "advanceDays", -1) >= 0) {
                        // ages the held commitments (start and end dates) for the inventory's expiry views
                        yield insights.handle(route, r);
                    }
                    long ms = EmulatorJson.integer(r.json(), "advanceMs", -1);
                    if (ms < 0) {
                        throw new IllegalArgumentException("advanceMs (0 or more: moves the emulator's time) or advanceDays"
                                + " (1-3650: ages the held commitments) is required");
                    }
                    emulator.advanceClock(java.time.Duration.ofMillis(ms));
                    yield clock();
                }
                case "GET /health" -> ok(Map.of("status", "up"));
                default -> {
                    CloudResponse insight = insights.handle(route, r);
                    yield insight != null ? insight : CloudResponse.json(404, Map.of("message", "no control route "
                            + route + "; see providers/emulator/README.md"));
                }
            };
        } catch (IllegalArgumentException e) {
            return CloudResponse.json(400, Map.of("message", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            return CloudResponse.json(400, Map.of("message", "could not read the request: " + e.getMessage()));
        }
    }

    private CloudResponse clock() {
        return ok(Map.of("now", emulator.now().toString(), "offsetMs", emulator.clockOffset().toMillis()));
    }

    private static CloudResponse ok(Object body) {
        return new CloudResponse(200, Map.of("Content-Type", "application/json"), Json.write(body));
    }

    private static Predicate<Commitment> commitmentFilter(CloudRequest r) {
        List<Predicate<Commitment>> all = new ArrayList<>();
        String cloud = r.queryParam("cloud");
        if (cloud != null) {
            Cloud c = Cloud.fromSlug("cloud", cloud);
            all.add(x -> x.cloud() == c);
        }
        addEquals(all, r.queryParam("type"), Commitment::type);
        addEquals(all, r.queryParam("account"), Commitment::account);
        addEquals(all, r.queryParam("region"), Commitment::region);
        return all.stream().reduce(x -> true, Predicate::and);
    }

    private static Predicate<Offering> offeringFilter(CloudRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String k : List.of("cloud", "type", "region", "product", "term", "payment")) {
            if (r.queryParam(k) != null) {
                q.put(k, r.queryParam(k));
            }
        }
        return o -> q.entrySet().stream().allMatch(e -> e.getValue().equalsIgnoreCase(switch (e.getKey()) {
            case "cloud" -> o.cloud().slug();
            case "type" -> o.type();
            case "region" -> o.region();
            case "product" -> o.product();
            case "term" -> o.term();
            default -> String.valueOf(o.payment());
        }));
    }

    private static <T> void addEquals(List<Predicate<T>> all, String value, java.util.function.Function<T, String> f) {
        if (value != null) {
            all.add(x -> value.equals(f.apply(x)));
        }
    }
}
