package dev.pledge.infra.k8s;

import dev.pledge.infra.InfraFiles;
import dev.pledge.infra.docker.Dockerfile;
import dev.pledge.infra.docker.DockerfileRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.pledge.infra.k8s.KubernetesObjects.at;
import static dev.pledge.infra.k8s.KubernetesObjects.byName;
import static dev.pledge.infra.k8s.KubernetesObjects.list;
import static dev.pledge.infra.k8s.KubernetesObjects.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kustomize example overlay as rendered (infra/k8s/rendered/example.yaml, committed so CI
 * without kubectl still checks it): every rule of {@link ManifestRules}, each rule shown failing,
 * the rendering kept in step with its sources, and, where kubectl is installed, a fresh rendering
 * identical to the committed one.
 */
class KubernetesManifestsTest {
    private static final Path K8S = InfraFiles.infraDir().resolve("k8s");
    private static final Path RENDERED = K8S.resolve("rendered/example.yaml");
    private static final int IMAGE_UID = DockerfileRules.runtimeUid(
            Dockerfile.parse(InfraFiles.read(InfraFiles.infraDir().resolve("docker/Dockerfile")))).orElseThrow();
    private static final ManifestRules RULES = new ManifestRules(IMAGE_UID);

    private static KubernetesObjects committed() {
        return KubernetesObjects.parse(InfraFiles.read(RENDERED));
    }

    @Test
    void the_committed_rendering_follows_every_rule() {
        KubernetesObjects objects = committed();
        assertThat(objects.objects()).extracting(o -> o.get("kind")).containsExactlyInAnyOrder(
                "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Ingress",
                "NetworkPolicy");
        assertThat(RULES.checkInstallation(objects)).isEmpty();
    }

    @Test
    void the_documented_installation_uses_verified_tls_to_the_database_and_two_database_roles() {
        String readme = InfraFiles.read(InfraFiles.infraDir().resolve("README.md"));
        assertThat(readme).contains("pledge-database-owner").contains("pledge-master-key")
                .containsPattern("--from-literal=url=jdbc:postgresql://\\S+sslmode=verify-full");
        String roles = InfraFiles.read(InfraFiles.infraDir().resolve("postgres/roles.sql"));
        assertThat(roles).contains("CREATE ROLE pledge_owner").contains("CREATE ROLE pledge_runtime")
                .contains("REVOKE UPDATE, DELETE, TRUNCATE ON audit_events");
    }

    @Test
    void the_committed_config_map_is_the_base_settings_plus_the_overlay_literals() {
        Map<String, String> expected = new TreeMap<>(envFile(K8S.resolve("base/pledge.properties")));
        for (Object literal : list(yaml(K8S.resolve("overlays/example/kustomization.yaml")), "configMapGenerator")
                .stream().flatMap(g -> ((List<?>) g.getOrDefault("literals", List.of())).stream()).toList()) {
            String[] kv = String.valueOf(literal).split("=", 2);
            expected.put(kv[0], kv[1]);
        }
        Map<String, String> rendered = new TreeMap<>();
        map(committed().ofKind("ConfigMap").get(0), "data").forEach((k, v) -> rendered.put(k, String.valueOf(v)));
        assertThat(rendered).as("stale rendering: run infra/k8s/render.sh").isEqualTo(expected);
    }

    @Test
    void every_field_of_the_base_deployment_service_and_budget_reaches_the_committed_rendering() {
        KubernetesObjects rendered = committed();
        for (String file : List.of("deployment.yaml", "service.yaml", "poddisruptionbudget.yaml", "serviceaccount.yaml")) {
            Map<String, Object> source = yaml(K8S.resolve("base").resolve(file));
            String kind = String.valueOf(source.get("kind"));
            Map<String, Object> target = rendered.named(kind, String.valueOf(at(source, "metadata", "name")))
                    .orElseThrow(() -> new AssertionError(kind + " from base/" + file + " is not rendered"));
            List<String> differences = new ArrayList<>();
            contained(source.get("spec"), target.get("spec"), kind + ".spec", differences);
            assertThat(differences).as("base/" + file + " changed since infra/k8s/rendered/example.yaml was "
                    + "rendered; run infra/k8s/render.sh").isEmpty();
        }
    }

    @Test
    void every_pledge_setting_in_the_config_map_is_one_the_service_reads() {
        java.util.Set<String> known = AppSettings.known(InfraFiles.repositoryRoot().resolve("app/src/main/java"));
        assertThat(known).as("settings found in app/src/main/java")
                .contains("pledge.engine.shutdown-grace", "pledge.cloud.poll-timeout", "pledge.cloud.mode");
        List<String> configured = map(committed().ofKind("ConfigMap").get(0), "data").keySet().stream()
                .filter(k -> k.startsWith("pledge.")).toList();
        assertThat(configured).isNotEmpty().allSatisfy(k -> assertThat(known).as("a setting the service reads").contains(k));
        assertThat(known).doesNotContain("pledge.engine.shutdown-grase", "pledge.cloud.polltimeout");
    }

    @Test
    void a_fresh_rendering_is_identical_to_the_committed_one_when_kubectl_is_installed() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isEmpty()) {
            // CI without kubectl: the committed copy is still checked by every other test here
            System.out.println("kubectl not on PATH: checked the committed rendering only");
            return;
        }
        KubernetesObjects fresh = KubernetesObjects.parse(render(kubectl.get(), K8S.resolve("overlays/example")));
        assertThat(fresh.objects()).as("infra/k8s/rendered/example.yaml is stale: run infra/k8s/render.sh")
                .isEqualTo(committed().objects());
        KubernetesObjects base = KubernetesObjects.parse(render(kubectl.get(), K8S.resolve("base")));
        assertThat(RULES.check(base)).as("the base on its own").isEmpty();
    }

    static Stream<Arguments> brokenInstallations() {
        return Stream.of(
                broken("one replica", o -> spec(o).put("replicas", 1), "replicas: expected 2 or more"),
                broken("readiness on the liveness path", o -> map(container(o), "readinessProbe", "httpGet")
                        .put("path", "/actuator/health/liveness"), "readinessProbe must GET /actuator/health/readiness"),
                broken("probe on another port", o -> map(container(o), "livenessProbe", "httpGet").put("port", 9090),
                        "is not server.port 8080"),
                broken("no memory limit", o -> map(container(o), "resources", "limits").remove("memory"),
                        "a memory limit is required"),
                broken("no cpu request", o -> map(container(o), "resources", "requests").remove("cpu"),
                        "requests need cpu and memory"),
                broken("root allowed", o -> {
                    map(podSpec(o), "securityContext").remove("runAsNonRoot");
                    map(container(o), "securityContext").remove("runAsNonRoot");
                }, "runAsNonRoot must be true"),
                broken("uid 0", o -> map(podSpec(o), "securityContext").put("runAsUser", 0), "runAsUser 0"),
                broken("writable root", o -> map(container(o), "securityContext").put("readOnlyRootFilesystem", false),
                        "readOnlyRootFilesystem must be true"),
                broken("no /tmp volume", o -> list(container(o), "volumeMounts")
                        .removeIf(m -> "/tmp".equals(m.get("mountPath"))), "/tmp must be an emptyDir"),
                broken("password in the manifest", o -> byName(list(container(o), "env"), "PLEDGE_DATABASE_PASSWORD")
                        .ifPresent(e -> {
                            e.remove("valueFrom");
                            e.put("value", "hunter2");
                        }), "PLEDGE_DATABASE_PASSWORD must come from a secretKeyRef"),
                broken("a committed Secret", o -> o.objects().add(new TreeMap<>(Map.of("kind", "Secret"))),
                        "the rendering contains a Secret"),
                broken("demo mode", o -> map(o.ofKind("ConfigMap").get(0), "data").remove("pledge.cloud.mode"),
                        "pledge.cloud.mode must be real"),
                broken("grace shorter than a purchase", o -> podSpec(o).put("terminationGracePeriodSeconds", 60),
                        "terminationGracePeriodSeconds 60 must exceed"),
                broken("longer poll timeout, same grace", o -> map(o.ofKind("ConfigMap").get(0), "data")
                        .put("pledge.cloud.poll-timeout", "10m"), "must exceed"),
                broken("service selects nothing", o -> map(o.ofKind("Service").get(0), "spec", "selector")
                        .put("app.kubernetes.io/name", "other"), "service: selector"),
                broken("budget blocks every drain", o -> map(o.ofKind("PodDisruptionBudget").get(0), "spec")
                        .put("minAvailable", 3), "disruption budget: must keep at least one pod"),
                broken("no budget", o -> o.objects().removeIf(x -> "PodDisruptionBudget".equals(x.get("kind"))),
                        "expected one PodDisruptionBudget"),
                broken("latest image", o -> container(o).put("image", "registry.example.com/finops/pledge:latest"),
                        "image: pin a version"),
                broken("ingress without tls", o -> map(o.ofKind("Ingress").get(0), "spec").remove("tls"),
                        "ingress: tls is required"),
                broken("no certificate issuer", o -> map(o.ofKind("Ingress").get(0), "metadata", "annotations")
                        .remove("cert-manager.io/cluster-issuer"), "cert-manager issuer annotation"),
                broken("no ingress", o -> o.objects().removeIf(x -> "Ingress".equals(x.get("kind"))),
                        "expected one Ingress"),
                broken("no network policy", o -> o.objects().removeIf(x -> "NetworkPolicy".equals(x.get("kind"))),
                        "expected one NetworkPolicy"),
                broken("network policy without egress rules", o -> list(o.ofKind("NetworkPolicy").get(0), "spec",
                        "policyTypes").remove("Egress"), "policyTypes must be Ingress and Egress"),
                broken("ingress from anywhere", o -> list(o.ofKind("NetworkPolicy").get(0), "spec", "ingress").get(0)
                        .put("from", new ArrayList<>()), "ingress only from named pods"),
                broken("egress to anything", o -> list(o.ofKind("NetworkPolicy").get(0), "spec", "egress").get(2)
                        .remove("ports"), "no allow-all"),
                broken("database without certificate check", o -> map(o.ofKind("ConfigMap").get(0), "data")
                        .put(ManifestRules.SSL_MODE, "require"), "must be verify-full"),
                broken("one database role for both", o -> byName(list(container(o), "env"), "SPRING_FLYWAY_USER")
                        .ifPresent(e -> map(e, "valueFrom", "secretKeyRef").put("name", "pledge-database")),
                        "must use two database roles"),
                broken("no master key", o -> list(container(o), "env").removeIf(e -> "PLEDGE_MASTER_KEY".equals(
                        e.get("name"))), "PLEDGE_MASTER_KEY must come from a secretKeyRef"),
                broken("config map not mounted", o -> byName(list(container(o), "env"), "SPRING_CONFIG_IMPORT")
                        .ifPresent(e -> e.put("value", "optional:configtree:/elsewhere/")), "config: no ConfigMap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenInstallations")
    void a_broken_installation_is_reported(String what, Consumer<KubernetesObjects> breakIt, String expected) {
        KubernetesObjects objects = mutableCopy();
        breakIt.accept(objects);
        assertThat(RULES.checkInstallation(objects)).as(what).anySatisfy(v -> assertThat(v).contains(expected));
    }

    private static Arguments broken(String what, Consumer<KubernetesObjects> breakIt, String expected) {
        return Arguments.of(what, breakIt, expected);
    }

    private static KubernetesObjects mutableCopy() {
        return new KubernetesObjects(new ArrayList<>(committed().objects()));
    }

    private static Map<String, Object> spec(KubernetesObjects o) {
        return map(o.ofKind("Deployment").get(0), "spec");
    }

    private static Map<String, Object> podSpec(KubernetesObjects o) {
        return map(o.ofKind("Deployment").get(0), "spec", "template", "spec");
    }

    private static Map<String, Object> container(KubernetesObjects o) {
        return list(podSpec(o), "containers").get(0);
    }

    /**
     * Records where {@code expected} (a base source) is not contained in {@code actual} (rendered):
     * maps key by key, lists of named items by name, other lists by position. Kustomize's own
     * changes are allowed: the image (set by the overlay), replicas, and generated names with a hash.
     */
    private static void contained(Object expected, Object actual, String path, List<String> differences) {
        if (expected instanceof Map<?, ?> e) {
            if (!(actual instanceof Map<?, ?> a)) {
                differences.add(path + ": expected a map, rendered " + actual);
                return;
            }
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.equals("image") || key.equals("replicas")) {
                    continue;
                }
                contained(entry.getValue(), a.get(key), path + "." + key, differences);
            }
        } else if (expected instanceof List<?> e) {
            if (!(actual instanceof List<?> a)) {
                differences.add(path + ": expected a list, rendered " + actual);
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                Object item = e.get(i);
                Object name = item instanceof Map<?, ?> m ? m.get("name") : null;
                Object match = name == null ? (i < a.size() ? a.get(i) : null)
                        : a.stream().filter(x -> x instanceof Map<?, ?> m && name.equals(m.get("name"))).findFirst()
                        .orElse(null);
                contained(item, match, path + "[" + (name == null ? i : name) + "]", differences);
            }
        } else if (!String.valueOf(expected).equals(String.valueOf(actual))
                && !String.valueOf(actual).matches(java.util.regex.Pattern.quote(String.valueOf(expected)) + "-[a-z0-9]{10}")) {
            differences.add(path + ": base has " + expected + ", rendered has " + actual);
        }
    }

    private static Map<String, Object> yaml(Path file) {
        return KubernetesObjects.parse(InfraFiles.read(file)).objects().get(0);
    }

    /** A kustomize env file: KEY=VALUE lines, # comments. */
    private static Map<String, String> envFile(Path file) {
        Map<String, String> entries = new TreeMap<>();
        for (String line : InfraFiles.read(file).lines().map(String::strip).toList()) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                entries.put(kv[0], kv[1]);
            }
        }
        return entries;
    }

    private static Optional<Path> onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, executable))
                .filter(Files::isExecutable).findFirst();
    }

    private static String render(Path kubectl, Path kustomization) throws Exception {
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                .redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
