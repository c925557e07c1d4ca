package dev.pledge.app.cli;

import dev.pledge.app.insight.InsightConfiguration;
import dev.pledge.app.insight.InsightRefresher;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Demo mode's steady usage: what the demo accounts "run" in the emulated clouds, so that the clouds recommend
 * something at once. Put into the emulator ({@code PUT /__pledge/usage}, lines replace earlier ones with the same
 * cloud, type, account, region and product) at every start, since the emulator keeps its state in memory, and
 * followed by one refresh, so {@code pledge recommendations list} has an answer before anyone asks.
 */
final class DemoUsage {
    /** The Azure billing scope as a purchase records it: the subscription path in lower case. */
    static final String AZURE_SCOPE = "/subscriptions/" + DemoAccounts.AZURE.toLowerCase(Locale.ROOT);

    /**
     * One line per kind of commitment a reader can try: AWS instances, a database and a Compute plan; Azure VMs
     * and a savings plan; GCP vCPUs. None is what the banner's walkthrough buys by hand (Standard_D2s_v3).
     */
    static final String LINES = "[" + String.join(",",
            line("aws", "aws-ec2", DemoAccounts.AWS, "us-east-1", "m5.large", "4",
                    "{\"productDescription\":\"Linux/UNIX\"}"),
            line("aws", "aws-rds", DemoAccounts.AWS, "us-east-1", "db.r6g.large", "2",
                    "{\"productDescription\":\"postgresql\"}"),
            line("aws", "aws-savings-plan", DemoAccounts.AWS, "global", "Compute", "1.5", null),
            line("azure", "azure-reservation", AZURE_SCOPE, "northeurope", "Standard_D4s_v3", "3", null),
            line("azure", "azure-savings-plan", AZURE_SCOPE, "global", "Compute_Savings_Plan", "2", null),
            line("gcp", "gcp-compute", DemoAccounts.GCP, "europe-west1", "GENERAL_PURPOSE_N2", "16", null)) + "]";

    private DemoUsage() {
    }

    private static String line(String cloud, String type, String account, String region, String product,
                               String units, String attributes) {
        return "{\"cloud\":\"" + cloud + "\",\"type\":\"" + type + "\",\"account\":\"" + account + "\",\"region\":\""
                + region + "\",\"product\":\"" + product + "\",\"units\":\"" + units + "\""
                + (attributes == null ? "" : ",\"attributes\":" + attributes) + "}";
    }

    /** Seeds the usage and refreshes once; what happened, as one line for the banner (never throws). */
    static String seedAndRefresh(URI emulator, ApplicationContext context) {
        try {
            seed(emulator);
        } catch (IOException | RuntimeException e) {
            return "no demo usage (the emulator refused it: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no demo usage (interrupted)";
        }
        try {
            InsightRefresher refresher = context.getBean(InsightRefresher.class);
            var summary = context.getBean(InsightConfiguration.RefreshLock.class)
                    .run(() -> refresher.refreshAll(p -> { }));
            if (summary.isEmpty()) {
                return "demo usage seeded; another refresh is running";
            }
            var s = summary.get();
            return s.recommendations() + " from the demo usage" + (s.failed() == 0 ? ""
                    : " (" + s.failed() + " of " + s.sources() + " sources failed: " + String.join("; ", s.failures())
                    + ")");
        } catch (RuntimeException e) {
            return "demo usage seeded, the first refresh failed: " + e.getMessage();
        }
    }

    static void seed(URI emulator) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.toString()
                        .replaceAll("/+$", "") + "/__pledge/usage"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(LINES)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT /__pledge/usage answered " + r.statusCode() + ": " + r.body());
        }
    }
}
