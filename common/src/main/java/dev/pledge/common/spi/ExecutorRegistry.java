package dev.pledge.common.spi;

import dev.pledge.common.model.CommitmentType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The executors of every provider module on the class path, one per commitment type. */
public final class ExecutorRegistry implements AutoCloseable {
    private final Map<CommitmentType, CommitmentExecutor> executors;

    public ExecutorRegistry(Collection<CommitmentExecutor> executors) {
        EnumMap<CommitmentType, CommitmentExecutor> map = new EnumMap<>(CommitmentType.class);
        for (CommitmentExecutor e : executors) {
            CommitmentExecutor previous = map.put(e.type(), e);
            if (previous != null) {
                throw new IllegalStateException("two executors for " + e.type().slug() + ": "
                        + previous.getClass().getName() + " and " + e.getClass().getName());
            }
        }
        this.executors = Collections.unmodifiableMap(map);
    }

    /** Loads every {@link ExecutorProvider} with {@link ServiceLoader} and creates its executors. */
    public static ExecutorRegistry load(ProviderSettings settings) {
        List<CommitmentExecutor> all = new ArrayList<>();
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class)) {
            all.addAll(provider.create(settings));
        }
        return new ExecutorRegistry(all);
    }

    /** The executor for a type; the error says which module is missing. */
    public CommitmentExecutor executor(CommitmentType type) {
        CommitmentExecutor e = executors.get(type);
        if (e == null) {
            throw new IllegalStateException("no executor for " + type.slug() + " on the class path (is the pledge-"
                    + type.cloud().slug() + " module included?)");
        }
        return e;
    }

    /** Tells every executor of {@code cloud} that an account's credentials were replaced. */
    public void forgetAccount(dev.pledge.common.model.Cloud cloud, String account) {
        executors.values().stream().filter(e -> e.type().cloud() == cloud).forEach(e -> e.forgetAccount(account));
    }

    public boolean supports(CommitmentType type) {
        return executors.containsKey(type);
    }

    public Collection<CommitmentExecutor> all() {
        return executors.values();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (CommitmentExecutor e : executors.values()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
