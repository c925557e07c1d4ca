package dev.pledge.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.pledge.app.account.MasterKey;
import dev.pledge.app.account.MasterKeyRotation;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code pledge keys rotate-master}: re-wraps every stored data key from the current master key
 * ({@code PLEDGE_MASTER_KEY}) to a new one ({@code PLEDGE_NEW_MASTER_KEY}) in one transaction, on the
 * database in {@code PLEDGE_DATABASE_URL}. Keys come from variables only, never from flags.
 */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        header = "Manage the master key that encrypts account credentials.",
        descriptionHeading = "%n",
        description = {"rotate-master: re-wrap every account's data key from PLEDGE_MASTER_KEY to "
                + "PLEDGE_NEW_MASTER_KEY in one transaction (database: PLEDGE_DATABASE_URL, with "
                + "PLEDGE_DATABASE_USER / PLEDGE_DATABASE_PASSWORD). Then restart every replica with "
                + "PLEDGE_MASTER_KEY set to the new key. Generate a key with `openssl rand -base64 32`.", ""},
        subcommands = KeysCommand.RotateMaster.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the database failed", "2:usage error: a variable is missing or invalid",
                "3:refused: the current key is not the one the data keys are wrapped with"})
final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required: rotate-master");
    }

    @Command(name = "rotate-master", mixinStandardHelpOptions = true,
            description = "Re-wrap every data key from PLEDGE_MASTER_KEY to PLEDGE_NEW_MASTER_KEY.")
    static final class RotateMaster implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        KeysCommand keys;

        @Override
        public Integer call() {
            CliEnvironment env = keys.root.environment();
            MasterKey current = key(env, "PLEDGE_MASTER_KEY");
            MasterKey next = key(env, "PLEDGE_NEW_MASTER_KEY");
            if (current.id().equals(next.id())) {
                throw new ParameterException(spec.commandLine(), "PLEDGE_NEW_MASTER_KEY is the current key");
            }
            String url = env.variable(LocalInfrastructure.DATABASE_URL_VARIABLE).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), LocalInfrastructure.DATABASE_URL_VARIABLE
                            + " is not set: the database whose credentials to re-wrap"));
            LocalInfrastructure.DatabaseUrl parsed = LocalInfrastructure.DatabaseUrl.parse(url);
            try (HikariDataSource ds = new HikariDataSource()) {
                ds.setJdbcUrl(parsed.jdbcUrl());
                ds.setUsername(env.variable("PLEDGE_DATABASE_USER").orElse(parsed.user()));
                ds.setPassword(env.variable("PLEDGE_DATABASE_PASSWORD").orElse(parsed.password()));
                ds.setMaximumPoolSize(1);
                MasterKeyRotation.Rotated r;
                try {
                    r = MasterKeyRotation.rotate(new NamedParameterJdbcTemplate(ds),
                            new TransactionTemplate(new DataSourceTransactionManager(ds)), current, next);
                } catch (IllegalStateException e) {
                    throw new CliFailure(ExitCode.REFUSED, "pledge keys rotate-master: " + e.getMessage()
                            + "; nothing was changed");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("Re-wrapped the data keys of " + r.accounts() + " account(s) and " + r.adminRequests()
                        + " pending admin request(s): master key " + r.from() + " -> " + r.to() + ".");
                out.println("Now restart every replica with PLEDGE_MASTER_KEY set to the new key.");
                out.flush();
                return ExitCode.OK;
            }
        }

        private MasterKey key(CliEnvironment env, String variable) {
            String v = env.variable(variable).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    variable + " is not set"));
            try {
                return MasterKey.parse(variable, v);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }
}
