package dev.pledge.app.cli;

import dev.pledge.app.account.Account;
import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.Cloud;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code pledge serve} prints once it is up: where it listens, where the data is, which cloud
 * it talks to, and in demo mode the three keys and a walkthrough that buys a commitment. The demo
 * keys are printed whole on purpose (the issue asks for it); nothing else secret is.
 */
final class ServeBanner {
    private final String url;
    private final LocalInfrastructure local;
    private List<Account> accounts = List.of();
    private DemoKeys.Keys keys;
    private String recommendations;

    ServeBanner(ConfigurableApplicationContext context, LocalInfrastructure local) {
        this.url = "http://localhost:" + context.getEnvironment().getProperty("local.server.port", "8080");
        this.local = local;
    }

    void demo(List<Account> demoAccounts, DemoKeys.Keys demoKeys) {
        this.accounts = demoAccounts;
        this.keys = demoKeys;
    }

    /** What demo mode's first refresh found, e.g. "6 from the demo usage". */
    void recommendations(String line) {
        this.recommendations = line;
    }

    String url() {
        return url;
    }

    void print(PrintWriter out) {
        out.println();
        out.println("Pledge console: " + url + "/console" + (keys != null
                ? "  (sign in with the requester, approver or admin key below)" : ""));
        out.println("Pledge is running at " + url + "  (pid " + ProcessHandle.current().pid() + ")");
        out.println("  data:   " + local.databaseDescription());
        out.println("  cloud:  " + (local.cloudEndpoint() == null ? "the real clouds, with each account's credentials"
                : local.demo() ? "built-in emulator at " + local.cloudEndpoint() + " (demo mode)"
                : "emulator at " + local.cloudEndpoint()));
        if (keys != null) {
            printDemo(out);
        }
        out.println("Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    private void printDemo(PrintWriter out) {
        out.println();
        out.println("Demo accounts:");
        for (Account a : accounts) {
            out.printf("  %-6s %-38s id %s%n", a.cloud().slug(), a.externalId(), a.id());
        }
        out.println("Demo API keys (kept in " + local.demoKeys().file() + "):");
        out.println("  admin      " + (local.adminKeyConfigured() ? Masking.mask(keys.admin())
                + " (from PLEDGE_BOOTSTRAP_ADMIN_KEY)" : keys.admin()));
        out.println("  requester  " + keys.requester());
        out.println("  approver   " + keys.approver());
        String azure = accounts.stream().filter(a -> a.cloud() == Cloud.AZURE).findFirst()
                .map(a -> a.id().toString()).orElse("<account id>");
        out.println();
        out.println("Try it in another shell: request a purchase, approve it with the other key, watch it succeed:");
        out.println();
        out.println("  export PLEDGE=" + url + " REQUESTER=" + keys.requester() + " APPROVER=" + keys.approver());
        out.println("  ID=$(curl -s -X POST $PLEDGE/api/v1/purchases -H \"Authorization: Bearer $REQUESTER\" \\");
        out.println("        -H 'Content-Type: application/json' -d '{\"description\": \"demo\", \"items\": "
                + "[{\"type\": \"azure-reservation\",");
        out.println("        \"account\": \"" + azure + "\", \"region\": \"westeurope\",");
        out.println("        \"offering\": \"Standard_D2s_v3\", \"quantity\": 2, \"term\": \"1y\", "
                + "\"payment\": \"monthly\"}]}' \\");
        out.println("        | sed -n 's/.*\"id\":\"\\([^\"]*\\)\".*/\\1/p'); echo \"purchase $ID\"");
        out.println("  curl -s -X POST $PLEDGE/api/v1/purchases/$ID/approve -H \"Authorization: Bearer $APPROVER\"");
        out.println("  for i in $(seq 30); do S=$(curl -s $PLEDGE/api/v1/purchases/$ID -H \"Authorization: Bearer "
                + "$APPROVER\" | grep -o '\"status\":\"[A-Z_]*\"' | head -1);");
        out.println("    echo \"$S\"; case $S in *SUCCEEDED*|*FAILED*) break;; esac; sleep 1; done");
        out.println("  curl -s " + local.cloudEndpoint() + "/__pledge/commitments   # the emulated cloud holds it");
        out.println();
        out.println("  or with the CLI:  PLEDGE_API_KEY=$APPROVER ./pledge purchases list --server $PLEDGE");
        out.println();
        if (recommendations != null) {
            out.println("Recommendations: " + recommendations + "; propose one, approve it with the other key:");
            out.println("  PLEDGE_API_KEY=$REQUESTER ./pledge recommendations list --server $PLEDGE");
            out.println();
        }
    }
}
