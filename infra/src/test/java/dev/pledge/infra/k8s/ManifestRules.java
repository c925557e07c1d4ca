package dev.pledge.infra.k8s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.pledge.infra.k8s.KubernetesObjects.at;
import static dev.pledge.infra.k8s.KubernetesObjects.byName;
import static dev.pledge.infra.k8s.KubernetesObjects.list;
import static dev.pledge.infra.k8s.KubernetesObjects.map;

/**
 * What a rendered Pledge installation must look like (issue #10). {@link #check} returns one
 * message per broken rule; empty means the objects follow them all.
 */
public final class ManifestRules {
    static final String READINESS = "/actuator/health/readiness";
    static final String LIVENESS = "/actuator/health/liveness";
    static final List<String> SECRET_VARIABLES = List.of(
            "PLEDGE_DATABASE_URL", "PLEDGE_DATABASE_USER", "PLEDGE_DATABASE_PASSWORD", "PLEDGE_BOOTSTRAP_ADMIN_KEY",
            "PLEDGE_MASTER_KEY", "SPRING_FLYWAY_USER", "SPRING_FLYWAY_PASSWORD");
    static final String SSL_MODE = "spring.datasource.hikari.data-source-properties.sslmode";
    private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|SECRET|KEY|TOKEN|CREDENTIAL).*");

    // the app's defaults (EngineProperties, CloudProperties, Spring Boot) when the ConfigMap is silent
    private static final Map<String, String> DEFAULTS = Map.of(
            "pledge.cloud.call-timeout", "30s",
            "pledge.cloud.max-attempts", "3",
            "pledge.cloud.poll-timeout", "10m",
            "pledge.engine.shutdown-grace", "30s",
            "spring.lifecycle.timeout-per-shutdown-phase", "30s",
            "server.port", "8080");

    private final int imageUid;

    /** @param imageUid the UID the image's Dockerfile runs as */
    public ManifestRules(int imageUid) {
        this.imageUid = imageUid;
    }

    /**
     * An installation (the example overlay): the rules of {@link #check} plus how it is reached and
     * what it reaches (issue 19): HTTPS Ingress, NetworkPolicy, verified TLS to the database.
     */
    public List<String> checkInstallation(KubernetesObjects objects) {
        List<String> v = check(objects);
        Map<String, Object> deployment = objects.ofKind("Deployment").isEmpty() ? Map.of()
                : objects.ofKind("Deployment").get(0);
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        checkIngress(objects, v);
        checkNetworkPolicy(objects, podLabels, v);
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        byName(list(pod, "containers"), "pledge").ifPresent(c -> {
            Map<String, String> config = configFor(objects, pod, c, new ArrayList<>());
            if (!"verify-full".equals(config.get(SSL_MODE))) {
                v.add("database: " + SSL_MODE + " must be verify-full (TLS with the server's certificate and name "
                        + "checked)");
            }
        });
        return v;
    }

    private static void checkIngress(KubernetesObjects objects, List<String> v) {
        List<Map<String, Object>> ingresses = objects.ofKind("Ingress");
        if (ingresses.size() != 1) {
            v.add("ingress: expected one Ingress, found " + ingresses.size());
            return;
        }
        Map<String, Object> ingress = ingresses.get(0);
        List<Map<String, Object>> tls = list(ingress, "spec", "tls");
        List<Object> tlsHosts = new ArrayList<>();
        for (Map<String, Object> t : tls) {
            if (t.get("secretName") == null) {
                v.add("ingress: every tls entry needs a secretName");
            }
            Object hosts = t.get("hosts");
            if (hosts instanceof List<?> l) {
                tlsHosts.addAll(l);
            }
        }
        if (tls.isEmpty()) {
            v.add("ingress: tls is required (API keys travel in a header)");
        }
        Map<String, Object> annotations = map(ingress, "metadata", "annotations");
        if (!annotations.containsKey("cert-manager.io/cluster-issuer") && !annotations.containsKey("cert-manager.io/issuer")) {
            v.add("ingress: a cert-manager issuer annotation is required (see infra/README.md)");
        }
        String service = objects.ofKind("Service").isEmpty() ? null
                : String.valueOf(at(objects.ofKind("Service").get(0), "metadata", "name"));
        for (Map<String, Object> rule : list(ingress, "spec", "rules")) {
            if (!tlsHosts.contains(rule.get("host"))) {
                v.add("ingress: host " + rule.get("host") + " is not covered by tls");
            }
            for (Map<String, Object> path : list(rule, "http", "paths")) {
                if (!Objects.equals(service, at(path, "backend", "service", "name"))) {
                    v.add("ingress: backend " + at(path, "backend", "service", "name") + " is not the Service "
                            + service);
                }
            }
        }
    }

    private static void checkNetworkPolicy(KubernetesObjects objects, Map<String, Object> podLabels,
                                           List<String> v) {
        List<Map<String, Object>> policies = objects.ofKind("NetworkPolicy");
        if (policies.size() != 1) {
            v.add("network policy: expected one NetworkPolicy, found " + policies.size());
            return;
        }
        Map<String, Object> policy = policies.get(0);
        Map<String, Object> selector = map(policy, "spec", "podSelector", "matchLabels");
        if (selector.isEmpty() || !selector.entrySet().stream().allMatch(e -> Objects.equals(podLabels.get(e.getKey()),
                e.getValue()))) {
            v.add("network policy: podSelector " + selector + " does not select the pledge pods " + podLabels);
        }
        Object types = at(policy, "spec", "policyTypes");
        if (!(types instanceof List<?> t) || !t.contains("Ingress") || !t.contains("Egress")) {
            v.add("network policy: policyTypes must be Ingress and Egress");
        }
        for (Map<String, Object> rule : list(policy, "spec", "ingress")) {
            List<Map<String, Object>> from = list(rule, "from");
            if (from.isEmpty() || from.stream().anyMatch(f -> f.containsKey("ipBlock") || !f.containsKey("podSelector"))) {
                v.add("network policy: ingress only from named pods (the ingress controller, Prometheus), "
                        + "not from " + (from.isEmpty() ? "anywhere" : from));
            }
            if (list(rule, "ports").isEmpty()) {
                v.add("network policy: an ingress rule must name its ports");
            }
        }
        List<Object> egressPorts = new ArrayList<>();
        for (Map<String, Object> rule : list(policy, "spec", "egress")) {
            if (list(rule, "ports").isEmpty() || list(rule, "to").isEmpty()) {
                v.add("network policy: an egress rule must name its destinations and ports (no allow-all)");
            }
            list(rule, "ports").forEach(p -> egressPorts.add(p.get("port")));
        }
        for (int port : new int[]{5432, 53, 443}) {
            if (!egressPorts.contains(port)) {
                v.add("network policy: egress to port " + port + " is missing (PostgreSQL, DNS, cloud APIs)");
            }
        }
    }

    public List<String> check(KubernetesObjects objects) {
        List<String> v = new ArrayList<>();
        if (!objects.ofKind("Secret").isEmpty()) {
            v.add("secrets: the rendering contains a Secret; secret values never live in the repository");
        }
        List<Map<String, Object>> deployments = objects.ofKind("Deployment");
        if (deployments.size() != 1) {
            v.add("deployment: expected exactly one Deployment, found " + deployments.size());
            return v;
        }
        Map<String, Object> deployment = deployments.get(0);
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        Optional<Map<String, Object>> container = byName(list(pod, "containers"), "pledge");
        if (container.isEmpty()) {
            v.add("deployment: no container named pledge");
            return v;
        }
        Map<String, Object> c = container.get();
        Map<String, String> config = configFor(objects, pod, c, v);

        checkReplicas(deployment, v);
        checkImage(c, v);
        checkProbes(c, config, v);
        checkResources(c, v);
        checkSecurity(pod, c, v);
        checkTmp(pod, c, v);
        checkSecrets(c, v);
        checkConfig(config, v);
        checkShutdown(pod, c, config, v);
        checkService(objects, podLabels, c, v);
        checkDisruptionBudget(objects, deployment, podLabels, v);
        checkServiceAccount(objects, pod, v);
        return v;
    }

    /** The pledge.* settings the container reads: the ConfigMap mounted where SPRING_CONFIG_IMPORT points. */
    private static Map<String, String> configFor(KubernetesObjects objects, Map<String, Object> pod,
                                                 Map<String, Object> c, List<String> v) {
        String configImport = env(c, "SPRING_CONFIG_IMPORT").map(e -> String.valueOf(e.get("value"))).orElse("");
        for (Map<String, Object> mount : list(c, "volumeMounts")) {
            String path = String.valueOf(mount.get("mountPath"));
            if (!configImport.contains("configtree:" + path)) {
                continue;
            }
            Object configMapName = at(byName(list(pod, "volumes"), String.valueOf(mount.get("name"))).orElse(Map.of()),
                    "configMap", "name");
            Optional<Map<String, Object>> configMap = objects.named("ConfigMap", String.valueOf(configMapName));
            if (configMap.isEmpty()) {
                v.add("config: the volume at " + path + " refers to ConfigMap " + configMapName + ", which is not rendered");
                return Map.of();
            }
            Map<String, String> data = new java.util.TreeMap<>();
            map(configMap.get(), "data").forEach((k, val) -> data.put(k, String.valueOf(val)));
            return data;
        }
        v.add("config: no ConfigMap is mounted where SPRING_CONFIG_IMPORT (" + configImport + ") reads a configtree");
        return Map.of();
    }

    private static void checkReplicas(Map<String, Object> deployment, List<String> v) {
        if (!(at(deployment, "spec", "replicas") instanceof Integer n) || n < 2) {
            v.add("replicas: expected 2 or more, was " + at(deployment, "spec", "replicas"));
        }
        if (!Objects.equals(0, at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"))) {
            v.add("replicas: a rollout must not take a ready replica away first (maxUnavailable: 0)");
        }
    }

    private static void checkImage(Map<String, Object> c, List<String> v) {
        String image = String.valueOf(c.get("image"));
        String last = image.substring(image.lastIndexOf('/') + 1);
        if (!(last.contains(":") || image.contains("@sha256:")) || last.endsWith(":latest")) {
            v.add("image: pin a version, was " + image);
        }
        if (!Objects.equals(List.of("serve"), c.get("args"))) {
            v.add("image: the container must run `serve`, args were " + c.get("args"));
        }
    }

    private static void checkProbes(Map<String, Object> c, Map<String, String> config, List<String> v) {
        int serverPort = Integer.parseInt(setting(config, "server.port"));
        probe(c, "readinessProbe", READINESS, serverPort, v);
        probe(c, "livenessProbe", LIVENESS, serverPort, v);
    }

    private static void probe(Map<String, Object> c, String probe, String path, int serverPort, List<String> v) {
        Map<String, Object> httpGet = map(c, probe, "httpGet");
        if (!path.equals(httpGet.get("path"))) {
            v.add("probes: " + probe + " must GET " + path + ", was " + httpGet);
            return;
        }
        Object port = httpGet.get("port");
        Integer resolved = port instanceof Integer i ? i
                : byName(list(c, "ports"), String.valueOf(port)).map(p -> (Integer) p.get("containerPort")).orElse(null);
        if (!Objects.equals(resolved, serverPort)) {
            v.add("probes: " + probe + " port " + port + " is not server.port " + serverPort);
        }
    }

    private static void checkResources(Map<String, Object> c, List<String> v) {
        Map<String, Object> requests = map(c, "resources", "requests");
        Map<String, Object> limits = map(c, "resources", "limits");
        if (requests.get("cpu") == null || requests.get("memory") == null) {
            v.add("resources: requests need cpu and memory, were " + requests);
        }
        if (limits.get("memory") == null) {
            v.add("resources: a memory limit is required (the JVM sizes its heap from it)");
        } else if (requests.get("memory") != null
                && Quantities.bytes(limits.get("memory")) < Quantities.bytes(requests.get("memory"))) {
            v.add("resources: memory limit " + limits.get("memory") + " is below the request " + requests.get("memory"));
        }
    }

    private void checkSecurity(Map<String, Object> pod, Map<String, Object> c, List<String> v) {
        Object nonRoot = firstNonNull(at(c, "securityContext", "runAsNonRoot"), at(pod, "securityContext", "runAsNonRoot"));
        if (!Boolean.TRUE.equals(nonRoot)) {
            v.add("security: runAsNonRoot must be true");
        }
        Object uid = firstNonNull(at(c, "securityContext", "runAsUser"), at(pod, "securityContext", "runAsUser"));
        if (uid != null && (!(uid instanceof Integer u) || u == 0 || u != imageUid)) {
            v.add("security: runAsUser " + uid + " is not the image's non-root user " + imageUid);
        }
        if (!Boolean.TRUE.equals(at(c, "securityContext", "readOnlyRootFilesystem"))) {
            v.add("security: readOnlyRootFilesystem must be true");
        }
        if (!Boolean.FALSE.equals(at(c, "securityContext", "allowPrivilegeEscalation"))) {
            v.add("security: allowPrivilegeEscalation must be false");
        }
        Object drop = at(c, "securityContext", "capabilities", "drop");
        if (!(drop instanceof List<?> l && l.contains("ALL"))) {
            v.add("security: capabilities must drop ALL, was " + drop);
        }
    }

    private static void checkTmp(Map<String, Object> pod, Map<String, Object> c, List<String> v) {
        Optional<Map<String, Object>> tmp = list(c, "volumeMounts").stream()
                .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst();
        boolean emptyDir = tmp.flatMap(m -> byName(list(pod, "volumes"), String.valueOf(m.get("name"))))
                .map(vol -> vol.containsKey("emptyDir")).orElse(false);
        if (!emptyDir) {
            v.add("tmp: with a read-only root filesystem /tmp must be an emptyDir volume");
        }
    }

    private static void checkSecrets(Map<String, Object> c, List<String> v) {
        for (String name : SECRET_VARIABLES) {
            Optional<Map<String, Object>> e = env(c, name);
            if (e.isEmpty() || at(e.get(), "valueFrom", "secretKeyRef", "name") == null) {
                v.add("secrets: " + name + " must come from a secretKeyRef");
            }
        }
        Object runtime = env(c, "PLEDGE_DATABASE_USER").map(e -> at(e, "valueFrom", "secretKeyRef", "name")).orElse(null);
        Object owner = env(c, "SPRING_FLYWAY_USER").map(e -> at(e, "valueFrom", "secretKeyRef", "name")).orElse(null);
        if (runtime != null && runtime.equals(owner)) {
            v.add("secrets: migrations (SPRING_FLYWAY_USER) and the service (PLEDGE_DATABASE_USER) must use two "
                    + "database roles from two Secrets, both come from " + runtime);
        }
        for (Map<String, Object> e : list(c, "env")) {
            if (SECRET_LIKE.matcher(String.valueOf(e.get("name"))).matches() && e.get("value") != null) {
                v.add("secrets: " + e.get("name") + " has a literal value in the manifest");
            }
        }
    }

    private static void checkConfig(Map<String, String> config, List<String> v) {
        if (!"real".equals(config.get("pledge.cloud.mode"))) {
            v.add("config: pledge.cloud.mode must be real (unset means the in-process emulator and demo accounts)");
        }
        if (!"graceful".equals(config.get("server.shutdown"))) {
            v.add("config: server.shutdown must be graceful");
        }
    }

    /**
     * SIGTERM arrives after the preStop hook; then the web server drains and the engine waits for
     * in-flight purchases. The kubelet must not kill the pod before one purchase and the shutdown
     * phases have run.
     */
    private static void checkShutdown(Map<String, Object> pod, Map<String, Object> c, Map<String, String> config,
                                      List<String> v) {
        Duration callTimeout = Quantities.duration(setting(config, "pledge.cloud.call-timeout"));
        int attempts = Integer.parseInt(setting(config, "pledge.cloud.max-attempts"));
        Duration pollTimeout = Quantities.duration(setting(config, "pledge.cloud.poll-timeout"));
        Duration onePurchase = callTimeout.multipliedBy(2L * attempts + 1).plus(pollTimeout);
        Duration shutdownGrace = Quantities.duration(setting(config, "pledge.engine.shutdown-grace"));
        Duration phase = Quantities.duration(setting(config, "spring.lifecycle.timeout-per-shutdown-phase"));
        Duration preStop = preStopSleep(c);
        Duration needed = preStop.plus(max(onePurchase, shutdownGrace)).plus(phase);
        Object grace = pod.get("terminationGracePeriodSeconds");
        long seconds = grace instanceof Integer g ? g : 30;
        if (seconds <= needed.toSeconds()) {
            v.add("shutdown: terminationGracePeriodSeconds " + seconds + " must exceed preStop " + preStop.toSeconds()
                    + "s + max(one purchase " + onePurchase.toSeconds() + "s, shutdown-grace "
                    + shutdownGrace.toSeconds() + "s) + shutdown phase " + phase.toSeconds() + "s = "
                    + needed.toSeconds() + "s");
        }
    }

    private static Duration preStopSleep(Map<String, Object> c) {
        Object command = at(c, "lifecycle", "preStop", "exec", "command");
        if (command instanceof List<?> l && l.size() == 2 && "sleep".equals(l.get(0))) {
            return Duration.ofSeconds(Long.parseLong(String.valueOf(l.get(1))));
        }
        Object sleep = at(c, "lifecycle", "preStop", "sleep", "seconds");
        return sleep instanceof Integer s ? Duration.ofSeconds(s) : Duration.ZERO;
    }

    private static void checkService(KubernetesObjects objects, Map<String, Object> podLabels, Map<String, Object> c,
                                     List<String> v) {
        List<Map<String, Object>> services = objects.ofKind("Service");
        if (services.isEmpty()) {
            v.add("service: none rendered");
            return;
        }
        for (Map<String, Object> s : services) {
            Map<String, Object> selector = map(s, "spec", "selector");
            if (selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
                v.add("service: selector " + selector + " does not select the pods " + podLabels);
            }
            for (Map<String, Object> port : list(s, "spec", "ports")) {
                Object target = port.get("targetPort");
                boolean resolves = list(c, "ports").stream().anyMatch(p ->
                        Objects.equals(p.get("name"), target) || Objects.equals(p.get("containerPort"), target));
                if (!resolves) {
                    v.add("service: targetPort " + target + " is not a container port");
                }
            }
        }
    }

    private static void checkDisruptionBudget(KubernetesObjects objects, Map<String, Object> deployment,
                                              Map<String, Object> podLabels, List<String> v) {
        List<Map<String, Object>> budgets = objects.ofKind("PodDisruptionBudget");
        if (budgets.size() != 1) {
            v.add("disruption budget: expected one PodDisruptionBudget, found " + budgets.size());
            return;
        }
        Map<String, Object> pdb = budgets.get(0);
        Map<String, Object> selector = map(pdb, "spec", "selector", "matchLabels");
        if (selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
            v.add("disruption budget: selector " + selector + " does not select the pods " + podLabels);
        }
        Object replicas = at(deployment, "spec", "replicas");
        Object minAvailable = at(pdb, "spec", "minAvailable");
        Object maxUnavailable = at(pdb, "spec", "maxUnavailable");
        boolean drainable = minAvailable instanceof Integer min && replicas instanceof Integer r ? min >= 1 && min < r
                : maxUnavailable instanceof Integer max && max >= 1;
        if (!drainable) {
            v.add("disruption budget: must keep at least one pod and still let a drain evict one (minAvailable "
                    + minAvailable + ", maxUnavailable " + maxUnavailable + ", replicas " + replicas + ")");
        }
    }

    private static void checkServiceAccount(KubernetesObjects objects, Map<String, Object> pod, List<String> v) {
        Object account = pod.get("serviceAccountName");
        if (account == null || objects.named("ServiceAccount", String.valueOf(account)).isEmpty()) {
            v.add("service account: the pod's serviceAccountName " + account + " is not rendered");
        }
    }

    private static Optional<Map<String, Object>> env(Map<String, Object> c, String name) {
        return byName(list(c, "env"), name);
    }

    private static String setting(Map<String, String> config, String key) {
        return config.getOrDefault(key, DEFAULTS.get(key));
    }

    private static Object firstNonNull(Object a, Object b) {
        return a != null ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
