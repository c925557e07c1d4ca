package dev.pledge.azure.recording;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Records every request the Azure executors send to the WireMock servers of this module's tests,
 * as {@code METHOD /path} lines in {@code target/cloud-operations/azure-requests.txt}, for the
 * permission cross-check in infra/ (CloudPermissionsTest). Registered through JUnit's extension
 * auto-detection (src/test/resources/junit-platform.properties), so no test has to know about it.
 *
 * <p>It reads each server's request journal right after the test method, before the next
 * {@code resetAll()}, finding the servers in the test's fields (static or not, up to three objects
 * deep, so a server inside an emulator or fixture counts). It never fails a test: a problem is
 * printed and the recording skipped.
 */
public final class CloudRequestRecorder implements InvocationInterceptor, AfterAllCallback {
    static final String FILE = "azure-requests.txt";
    private static final int MAX_DEPTH = 3;
    private static final Set<String> RECORDED = Collections.synchronizedSet(new TreeSet<>());

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        try {
            invocation.proceed();
        } finally {
            record(extensionContext);
        }
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        try {
            invocation.proceed();
        } finally {
            record(extensionContext);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        record(context);
    }

    private static void record(ExtensionContext context) {
        try {
            List<Object> roots = new ArrayList<>();
            context.getTestInstances().ifPresent(i -> roots.addAll(i.getAllInstances()));
            for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
                roots.add(c);
            }
            boolean added = false;
            for (WireMockServer server : servers(roots)) {
                for (ServeEvent event : server.getAllServeEvents()) {
                    String path = URI.create(event.getRequest().getUrl()).getRawPath();
                    added |= RECORDED.add(event.getRequest().getMethod().getName() + " " + path);
                }
            }
            if (added) {
                write();
            }
        } catch (Throwable t) {
            System.err.println("CloudRequestRecorder: not recorded (" + t + ")");
        }
    }

    /** WireMock servers reachable from the roots (objects, or classes for their static fields). */
    private static Collection<WireMockServer> servers(List<Object> roots) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        List<WireMockServer> found = new ArrayList<>();
        Deque<Object[]> queue = new ArrayDeque<>();
        for (Object r : roots) {
            queue.add(new Object[] {r, 0});
        }
        while (!queue.isEmpty()) {
            Object[] next = queue.poll();
            Object o = next[0];
            int depth = (Integer) next[1];
            if (o == null || seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            if (o instanceof WireMockServer server) {
                found.add(server);
                continue;
            }
            if (depth >= MAX_DEPTH) {
                continue;
            }
            if (o instanceof Collection<?> items) {
                items.forEach(i -> queue.add(new Object[] {i, depth + 1}));
                continue;
            }
            if (o instanceof Map<?, ?> map) {
                map.values().forEach(i -> queue.add(new Object[] {i, depth + 1}));
                continue;
            }
            boolean isClass = o instanceof Class<?>;
            Class<?> type = isClass ? (Class<?>) o : o.getClass();
            for (Class<?> c = type; c != null && !isPlatform(c); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (isClass != Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        queue.add(new Object[] {f.get(isClass ? null : o), depth + 1});
                    } catch (RuntimeException | IllegalAccessException e) {
                        // not reachable (module boundary): not a server of ours
                    }
                }
            }
        }
        return found;
    }

    private static boolean isPlatform(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                || n.startsWith("org.junit.") || n.startsWith("org.assertj.");
    }

    private static synchronized void write() throws Exception {
        Path classes = Path.of(CloudRequestRecorder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("cloud-operations"); // target/test-classes -> target/cloud-operations
        Files.createDirectories(dir);
        List<String> lines;
        synchronized (RECORDED) {
            lines = new ArrayList<>(RECORDED);
        }
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
