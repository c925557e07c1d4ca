package dev.pledge.app.insight;

import dev.pledge.common.insight.Lookback;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * {@code pledge.insights.*}: inventory and recommendation refresh.
 *
 * @param refreshInterval     how often the scheduled refresh runs on one replica (default daily); the first run is
 *                            one interval after start
 * @param concurrency         cloud calls in flight at most during a refresh, across every account and type
 * @param attempts            attempts of one fetch while the cloud throttles or fails transiently
 * @param backoff             pause before the second attempt, doubled for each next
 * @param term                term of the recommendations asked for
 * @param awsPayment          payment option of AWS recommendations
 * @param lookback            usage window: 7d, 30d or 60d
 * @param awsRegions          regions whose AWS inventory is listed
 * @param gcpRegions          regions whose GCP committed-use recommendations are asked for, besides those where an
 *                            account holds or Pledge bought a commitment (the recommender is regional)
 * @param recentlyBoughtDays  a recommendation for what Pledge bought within this many days is flagged
 */
@ConfigurationProperties("pledge.insights")
public record InsightProperties(
        @DefaultValue("24h") Duration refreshInterval,
        @DefaultValue("8") int concurrency,
        @DefaultValue("3") int attempts,
        @DefaultValue("2s") Duration backoff,
        @DefaultValue("1y") String term,
        @DefaultValue("no-upfront") String awsPayment,
        @DefaultValue("30d") String lookback,
        @DefaultValue({"us-east-1", "us-west-2", "eu-west-1"}) List<String> awsRegions,
        @DefaultValue("7") int recentlyBoughtDays,
        @DefaultValue({"us-central1", "us-east1", "europe-west1", "europe-west4"}) List<String> gcpRegions) {

    public InsightProperties {
        if (refreshInterval == null || refreshInterval.isZero() || refreshInterval.isNegative()) {
            throw new IllegalArgumentException("pledge.insights.refresh-interval must be a positive duration, was "
                    + refreshInterval);
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("pledge.insights.concurrency must be 1-64, was " + concurrency);
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("pledge.insights.attempts must be 1-10, was " + attempts);
        }
        if (backoff == null || backoff.isNegative()) {
            throw new IllegalArgumentException("pledge.insights.backoff must not be negative, was " + backoff);
        }
        if (Term.fromSlug(term) == null) {
            throw new IllegalArgumentException("pledge.insights.term must be 1y or 3y, was " + term);
        }
        PaymentOption p = PaymentOption.fromSlug(awsPayment);
        if (p == null || p == PaymentOption.UPFRONT || p == PaymentOption.MONTHLY) {
            throw new IllegalArgumentException("pledge.insights.aws-payment must be no-upfront, partial-upfront or "
                    + "all-upfront, was " + awsPayment);
        }
        Lookback.parse("pledge.insights.lookback", lookback);
        if (recentlyBoughtDays < 0 || recentlyBoughtDays > 365) {
            throw new IllegalArgumentException("pledge.insights.recently-bought-days must be 0-365, was "
                    + recentlyBoughtDays);
        }
        awsRegions = awsRegions == null ? List.of() : List.copyOf(awsRegions);
        gcpRegions = gcpRegions == null ? List.of() : List.copyOf(gcpRegions);
        for (String r : gcpRegions) {
            if (!r.matches("[a-z]+-[a-z]+[0-9]+")) {
                throw new IllegalArgumentException("pledge.insights.gcp-regions must list GCP regions such as "
                        + "us-central1, was '" + r + "'");
            }
        }
    }

    public Term termValue() {
        return Term.fromSlug(term);
    }

    public PaymentOption awsPaymentValue() {
        return PaymentOption.fromSlug(awsPayment);
    }

    public Lookback lookbackValue() {
        return Lookback.parse("pledge.insights.lookback", lookback);
    }
}
