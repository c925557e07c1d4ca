package dev.pledge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: every result line carries it. */
public final class Machine {

    private Machine() {
    }

    /**
     * Cores, CPU model, memory, OS, JDK and the load average when the run started (others building
     * on the same machine show up there), plus the PostgreSQL facts the database reports.
     */
    public static Map<String, Object> describe(Map<String, Object> postgres) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memory_gb", JsonLine.round(memoryKb() / 1024.0 / 1024.0, 1));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("load_avg_1m_at_start", loadAverage());
        m.put("postgresql", postgres);
        return m;
    }

    static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    static long memoryKb() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return Runtime.getRuntime().maxMemory() / 1024;
    }

    static Double loadAverage() {
        List<String> l = lines("/proc/loadavg");
        if (l.isEmpty()) {
            return null;
        }
        return Double.parseDouble(l.get(0).split("\\s+")[0]);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
