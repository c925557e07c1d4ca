package dev.pledge.app.testing;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real pool, counting the transactions the code under test commits, the way PostgreSQL counts
 * them in {@code pg_stat_database.xact_commit}: every {@code commit()} of a connection in a
 * transaction, and every statement run in auto-commit mode (each is a transaction of its own). It
 * counts on the client, so other tests sharing the database do not disturb the count.
 */
public final class CommitCountingDataSource extends DelegatingDataSource {
    private final AtomicLong commits = new AtomicLong();

    public CommitCountingDataSource(DataSource target) {
        super(target);
    }

    public long commits() {
        return commits.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(super.getConnection(username, password));
    }

    private Connection counting(Connection target) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("commit") && (args == null || args.length == 0)) {
                commits.incrementAndGet();
            }
            if (result instanceof Statement statement && !method.getName().equals("unwrap")) {
                return countingStatement(target, statement);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                handler);
    }

    private Statement countingStatement(Connection connection, Statement target) {
        Class<?> type = target instanceof CallableStatement ? CallableStatement.class
                : target instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            boolean autoCommit = method.getName().startsWith("execute") && connection.getAutoCommit();
            Object result = invoke(target, method, args);
            if (autoCommit) {
                commits.incrementAndGet();
            }
            return result;
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
