package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionFormatTest {

    @Test
    void metricsShowUpToFourDecimalsWithoutTrailingZeros() {
        assertThat(VersionFormat.metric(0.96)).isEqualTo("0.96");
        assertThat(VersionFormat.metric(0.123456)).isEqualTo("0.1235");
        assertThat(VersionFormat.metric(1520.0)).isEqualTo("1520");
        assertThat(VersionFormat.metric(null)).isEqualTo("\u2014");
    }

    @Test
    void tableColumnsShowFourDecimalsAlwaysSoThePointsLineUp() {
        assertThat(VersionFormat.fixed(0.96)).isEqualTo("0.9600");
        assertThat(VersionFormat.fixed(0.123456)).isEqualTo("0.1235");
        assertThat(VersionFormat.fixed(1520.0)).isEqualTo("1520");
        assertThat(VersionFormat.exact(0.123456)).isEqualTo("0.123456");
    }

    @Test
    void lossAndErrorLikeMetricsAreMarkedLowerIsBetterInTheirHeading() {
        assertThat(VersionFormat.metricHeading("val_loss")).isEqualTo("val_loss \u2193");
        assertThat(VersionFormat.metricHeading("p95_latency_ms")).isEqualTo("p95_latency_ms \u2193");
        assertThat(VersionFormat.metricHeading("accuracy")).isEqualTo("accuracy");
    }

    @Test
    void differencesAndPercentagesCarryTheirSign() {
        assertThat(VersionFormat.signed(0.05)).isEqualTo("+0.05");
        assertThat(VersionFormat.signed(-3.0)).isEqualTo("-3");
        assertThat(VersionFormat.percent(-50.0)).isEqualTo("-50.0%");
        assertThat(VersionFormat.percent(null)).isEqualTo("\u2014");
        assertThat(VersionFormat.percent(Double.NaN)).isEqualTo("\u2014");
    }

    @Test
    void hashesAreShortenedForTables() {
        assertThat(VersionFormat.shortHash("97625e7309481234567890")).isEqualTo("97625e730948\u2026");
        assertThat(VersionFormat.shortHash(null)).isEmpty();
    }
}
