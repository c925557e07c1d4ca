package dev.pledge.infra.docker;

import dev.pledge.infra.InfraFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed Dockerfile against {@link DockerfileRules}, and the rules against broken Dockerfiles. */
class DockerfileTest {
    private static final Path DOCKERFILE = InfraFiles.infraDir().resolve("docker/Dockerfile");
    private static final String TEXT = InfraFiles.read(DOCKERFILE);
    private static final DockerfileRules RULES = new DockerfileRules(DockerfileTest::contextFile);

    private static Optional<String> contextFile(String relative) {
        Path p = InfraFiles.repositoryRoot().resolve(relative);
        return Files.isRegularFile(p) ? Optional.of(InfraFiles.read(p)) : Optional.empty();
    }

    @Test
    void the_committed_dockerfile_follows_every_rule() {
        assertThat(RULES.check(Dockerfile.parse(TEXT))).isEmpty();
    }

    @Test
    void the_image_runs_as_the_uid_the_kubernetes_manifests_declare() {
        assertThat(DockerfileRules.runtimeUid(Dockerfile.parse(TEXT))).hasValue(10001);
    }

    @Test
    void the_build_stage_builds_the_jar_the_runtime_copies() {
        // app/pom.xml names the executable jar; the Dockerfile copies app/target/<finalName>.jar
        String appPom = InfraFiles.read(InfraFiles.repositoryRoot().resolve("app/pom.xml"));
        assertThat(appPom).contains("<finalName>pledge</finalName>");
        assertThat(TEXT).contains("/src/app/target/pledge.jar /app/pledge.jar");
    }

    @Test
    void every_file_the_runtime_stage_copies_from_the_context_exists() {
        Dockerfile file = Dockerfile.parse(TEXT);
        List<String> sources = file.finalStage().all("COPY").stream()
                .filter(c -> !c.flags().containsKey("from"))
                .map(c -> ShellWords.split(c.arguments()).get(0))
                .toList();
        assertThat(sources).isNotEmpty().allSatisfy(s -> assertThat(contextFile(s)).as(s).isPresent());
    }

    @Test
    void the_dockerignore_beside_the_dockerfile_keeps_build_output_out_of_the_context() {
        List<String> ignored = InfraFiles.read(DOCKERFILE.resolveSibling("Dockerfile.dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("**/target", ".git");
    }

    @Test
    void the_parser_joins_continuations_skips_comments_and_reads_flags() {
        Dockerfile file = Dockerfile.parse("""
                # syntax=docker/dockerfile:1
                FROM a:1 AS one
                RUN echo a \\
                # a comment inside a continuation
                    && echo b
                FROM b:2
                COPY --from=one --chmod=0444 /x.jar /y.jar
                ENV A="x y" B=z
                """);
        assertThat(file.stages()).hasSize(2);
        assertThat(file.stages().get(0).name()).isEqualTo("one");
        assertThat(file.stages().get(0).all("RUN").get(0).arguments()).isEqualTo("echo a && echo b");
        assertThat(file.finalStage().all("COPY").get(0).flags()).containsEntry("from", "one").containsEntry("chmod", "0444");
        assertThat(file.finalStage().environment()).containsEntry("A", "x y").containsEntry("B", "z");
    }

    /** Each rule can fail: a one-line change to the real Dockerfile, and the message it must cause. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no USER                  | USER 10001:10001 |                                    | non-root: the final stage has no USER",
            "USER root                | USER 10001:10001 | USER root                          | must be a numeric UID",
            "USER 0                   | USER 10001:10001 | USER 0                             | is root",
            "JDK runtime              | FROM eclipse-temurin:17-jre-noble AS runtime | FROM eclipse-temurin:17-jdk-noble AS runtime | base image must be eclipse-temurin:17-jre",
            "maven in final image     | WORKDIR /app     | WORKDIR /app\\nRUN apt-get update && apt-get install -y maven | runs maven",
            "copying the build tree   | /src/app/target/pledge.jar /app/pledge.jar | /src/ /app/pledge.jar | copies /src/ from stage build",
            "shell-form entry point   | ENTRYPOINT [\"java\", \"-jar\", \"/app/pledge.jar\"] | ENTRYPOINT java -jar /app/pledge.jar | entry point",
            "no serve                 | CMD [\"serve\"]  | CMD [\"buy\"]                       | entry point",
            "curl health check        | CMD [\"bash\", \"/app/healthcheck.sh\"] | CMD curl -f http://localhost:8080/actuator/health/readiness | no curl or wget",
            "health check elsewhere   | CMD [\"bash\", \"/app/healthcheck.sh\"] | CMD [\"true\"]   | requests /actuator/health/readiness",
            "probes not enabled       | MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true | MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=false | PROBES_ENABLED=true",
            "fixed heap               | -XX:MaxRAMPercentage=75.0 | -Xmx512m                    | -Xmx ignores the container limit",
            "greedy heap              | -XX:MaxRAMPercentage=75.0 | -XX:MaxRAMPercentage=95.0   | should leave 15-50%",
            "latest tag               | FROM maven:3.9.11-eclipse-temurin-17 AS build | FROM maven:latest AS build | uses :latest",
            "single stage             | FROM eclipse-temurin:17-jre-noble AS runtime | RUN true | multi-stage",
    })
    void a_broken_dockerfile_is_reported(String what, String original, String replacement, String expected) {
        assertThat(TEXT).as("the real Dockerfile contains the line this case changes").contains(original);
        String broken = TEXT.replace(original, replacement == null ? "" : replacement.replace("\\n", "\n"));
        assertThat(RULES.check(Dockerfile.parse(broken))).as(what).anySatisfy(v -> assertThat(v).contains(expected));
    }
}
