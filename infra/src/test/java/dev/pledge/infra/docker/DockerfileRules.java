package dev.pledge.infra.docker;

import dev.pledge.infra.docker.Dockerfile.Instruction;
import dev.pledge.infra.docker.Dockerfile.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Pledge image must be (issue #10): a Maven + JDK 17 build stage, a JRE 17 runtime with no
 * build tools, a numeric non-root user, {@code java -jar /app/pledge.jar serve}, a health check on
 * the readiness probe that works without curl, and a heap sized from the container's limit.
 * {@link #check} returns one message per broken rule; empty means the file follows them all.
 */
public final class DockerfileRules {
    static final String JAR = "/app/pledge.jar";
    static final String READINESS_PATH = "/actuator/health/readiness";
    private static final Pattern NUMERIC_USER = Pattern.compile("(\\d+)(?::(\\d+))?");
    private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");
    private static final Pattern BUILD_TOOL = Pattern.compile(
            "\\b(mvn|mvnw|maven|gradle|gradlew|javac|jdk|gcc|make|git)\\b");
    private static final Pattern FIXED_HEAP = Pattern.compile("-Xmx|-Xms|-XX:MaxHeapSize|-XX:-UseContainerSupport");

    private final Function<String, Optional<String>> contextFile;

    /** @param contextFile reads a file of the build context by its relative path (COPY sources), empty if absent */
    public DockerfileRules(Function<String, Optional<String>> contextFile) {
        this.contextFile = contextFile;
    }

    public List<String> check(Dockerfile file) {
        List<String> violations = new ArrayList<>();
        if (file.stages().size() < 2) {
            violations.add("multi-stage: expected a build stage and a runtime stage, found " + file.stages().size());
            return violations;
        }
        Stage runtime = file.finalStage();
        checkPinnedImages(file, violations);
        checkBuildStage(file, violations);
        checkRuntimeBase(runtime, violations);
        checkNoBuildTools(file, runtime, violations);
        checkUser(runtime, violations);
        checkEntrypoint(runtime, violations);
        checkHealthcheck(runtime, violations);
        checkMemoryFlags(runtime, violations);
        return violations;
    }

    /** The UID the final stage runs as, when it is numeric. */
    public static OptionalInt runtimeUid(Dockerfile file) {
        return file.finalStage().last("USER")
                .map(u -> NUMERIC_USER.matcher(u.arguments().strip()))
                .filter(Matcher::matches)
                .map(m -> OptionalInt.of(Integer.parseInt(m.group(1))))
                .orElse(OptionalInt.empty());
    }

    private static void checkPinnedImages(Dockerfile file, List<String> violations) {
        for (Stage s : file.stages()) {
            boolean stageReference = file.stages().stream().anyMatch(o -> s.baseImage().equals(o.name()));
            if (stageReference) {
                continue;
            }
            String image = s.baseImage();
            String afterRegistry = image.substring(image.lastIndexOf('/') + 1);
            if (!afterRegistry.contains(":") && !image.contains("@sha256:")) {
                violations.add("pinned base images: " + image + " has no tag");
            } else if (afterRegistry.endsWith(":latest")) {
                violations.add("pinned base images: " + image + " uses :latest");
            }
        }
    }

    private static void checkBuildStage(Dockerfile file, List<String> violations) {
        List<Stage> builders = file.stages().subList(0, file.stages().size() - 1);
        boolean mavenJdk17 = builders.stream().anyMatch(s -> s.baseImage().startsWith("maven:")
                && s.baseImage().matches(".*(temurin-17|jdk-17|openjdk-17).*")
                && s.all("RUN").stream().anyMatch(r -> r.arguments().matches("(?s).*\\bmvn\\b.*\\bpackage\\b.*")));
        if (!mavenJdk17) {
            violations.add("build stage: expected a maven:*-eclipse-temurin-17 stage that runs `mvn ... package`");
        }
    }

    private static void checkRuntimeBase(Stage runtime, List<String> violations) {
        if (!runtime.baseImage().startsWith("eclipse-temurin:17-jre")) {
            violations.add("runtime stage: base image must be eclipse-temurin:17-jre*, was " + runtime.baseImage());
        }
    }

    private static void checkNoBuildTools(Dockerfile file, Stage runtime, List<String> violations) {
        for (Instruction run : runtime.all("RUN")) {
            Matcher m = BUILD_TOOL.matcher(run.arguments());
            if (m.find()) {
                violations.add("no build tools in the final image: line " + run.line() + " runs " + m.group(1));
            }
        }
        for (Instruction copy : runtime.all("COPY")) {
            String from = copy.flags().get("from");
            if (from == null) {
                continue;
            }
            List<String> words = copy.execForm().orElseGet(() -> ShellWords.split(copy.arguments()));
            List<String> sources = words.subList(0, Math.max(0, words.size() - 1));
            for (String source : sources) {
                if (!source.endsWith(".jar")) {
                    violations.add("no build tools in the final image: line " + copy.line() + " copies " + source
                            + " from stage " + from + " (only the jar may come from the build)");
                }
            }
        }
        if (file.stages().stream().noneMatch(s -> s != runtime && s.name() != null)) {
            violations.add("no build tools in the final image: the build stage needs a name to copy the jar from");
        }
    }

    private static void checkUser(Stage runtime, List<String> violations) {
        Optional<Instruction> user = runtime.last("USER");
        if (user.isEmpty()) {
            violations.add("non-root: the final stage has no USER (it would run as root)");
            return;
        }
        Matcher m = NUMERIC_USER.matcher(user.get().arguments().strip());
        if (!m.matches()) {
            violations.add("non-root: USER must be a numeric UID (Kubernetes runAsNonRoot can only verify numbers), was "
                    + user.get().arguments());
        } else if (Integer.parseInt(m.group(1)) == 0 || (m.group(2) != null && Integer.parseInt(m.group(2)) == 0)) {
            violations.add("non-root: USER " + user.get().arguments() + " is root");
        }
    }

    private static void checkEntrypoint(Stage runtime, List<String> violations) {
        List<String> entrypoint = runtime.last("ENTRYPOINT").flatMap(Instruction::execForm).orElse(List.of());
        List<String> cmd = runtime.last("CMD").flatMap(Instruction::execForm).orElse(List.of());
        List<String> argv = new ArrayList<>(entrypoint);
        argv.addAll(cmd);
        boolean javaJar = !argv.isEmpty() && argv.get(0).equals("java")
                && argv.indexOf("-jar") >= 0 && argv.indexOf("-jar") + 1 < argv.size()
                && argv.get(argv.indexOf("-jar") + 1).equals(JAR);
        if (!javaJar || !argv.get(argv.size() - 1).equals("serve")) {
            violations.add("entry point: expected exec-form ENTRYPOINT/CMD running `java ... -jar " + JAR
                    + " serve`, got " + argv);
        }
        boolean jarCopied = runtime.all("COPY").stream().anyMatch(c -> c.arguments().strip().endsWith(" " + JAR));
        if (!jarCopied) {
            violations.add("entry point: nothing is copied to " + JAR);
        }
    }

    private void checkHealthcheck(Stage runtime, List<String> violations) {
        Optional<Instruction> healthcheck = runtime.last("HEALTHCHECK");
        if (healthcheck.isEmpty()) {
            violations.add("health check: the final stage has no HEALTHCHECK");
            return;
        }
        String args = healthcheck.get().arguments();
        if (!args.startsWith("CMD ")) {
            violations.add("health check: expected HEALTHCHECK [options] CMD ..., got " + args);
            return;
        }
        String command = args.substring(4).strip();
        if (command.matches(".*\\b(curl|wget)\\b.*")) {
            violations.add("health check: the eclipse-temurin JRE image has no curl or wget: " + command);
        }
        String probed = command;
        for (Instruction copy : runtime.all("COPY")) {
            if (copy.flags().containsKey("from")) {
                continue;
            }
            List<String> words = ShellWords.split(copy.arguments());
            if (words.size() == 2 && command.contains(words.get(1))) {
                probed += "\n" + contextFile.apply(words.get(0)).orElse("");
            }
        }
        if (!probed.contains(READINESS_PATH)) {
            violations.add("health check: neither the command nor a script it runs requests " + READINESS_PATH);
        }
        if (!"true".equalsIgnoreCase(runtime.environment().get("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED"))) {
            violations.add("health check: outside Kubernetes Spring Boot serves " + READINESS_PATH
                    + " only with MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true");
        }
    }

    private static void checkMemoryFlags(Stage runtime, List<String> violations) {
        Map<String, String> env = runtime.environment();
        String options = env.getOrDefault("JDK_JAVA_OPTIONS", "") + " " + env.getOrDefault("JAVA_TOOL_OPTIONS", "");
        String everything = options + " " + runtime.last("ENTRYPOINT").map(Instruction::arguments).orElse("")
                + " " + runtime.last("CMD").map(Instruction::arguments).orElse("");
        Matcher fixed = FIXED_HEAP.matcher(everything);
        if (fixed.find()) {
            violations.add("JVM memory: " + fixed.group() + " ignores the container limit; use -XX:MaxRAMPercentage");
        }
        Matcher maxRam = MAX_RAM.matcher(options);
        if (!maxRam.find()) {
            violations.add("JVM memory: JDK_JAVA_OPTIONS (or JAVA_TOOL_OPTIONS) must set -XX:MaxRAMPercentage");
        } else {
            double percent = Double.parseDouble(maxRam.group(1));
            if (percent < 50 || percent > 85) {
                violations.add("JVM memory: -XX:MaxRAMPercentage=" + maxRam.group(1)
                        + " should leave 15-50% of the limit for non-heap memory (50-85)");
            }
        }
    }
}
