package dev.pledge.infra.k8s;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Rendered Kubernetes objects (a multi-document YAML stream) and typed-enough access to their fields. */
public record KubernetesObjects(List<Map<String, Object>> objects) {

    @SuppressWarnings("unchecked")
    public static KubernetesObjects parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new KubernetesObjects(objects);
    }

    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    public Optional<Map<String, Object>> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst();
    }

    /** The value at a path of map keys, or null when any step is missing. */
    public static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object root, String... path) {
        Object v = at(root, path);
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object root, String... path) {
        Object v = at(root, path);
        return v instanceof List<?> ? (List<Map<String, Object>>) v : List.of();
    }

    public static Optional<Map<String, Object>> byName(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> Objects.equals(name, i.get("name"))).findFirst();
    }
}
