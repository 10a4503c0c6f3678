package dev.canopy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader the metrics tests trust must refuse what is not the text format. */
class PrometheusTextTest {
    private static final String GOOD = """
            # HELP canopy_services Services registered here
            # TYPE canopy_services gauge
            canopy_services{orchestrator_id="01M8A595AF1DYM3V123VW351TP",region="us-east",domain=""} 2.0
            # TYPE canopy_service_registrations counter
            canopy_service_registrations_total{via="request"} 3.0
            # TYPE canopy_http_request_duration_seconds histogram
            canopy_http_request_duration_seconds_bucket{le="+Inf",route="/a \\"b\\""} 1
            canopy_http_request_duration_seconds_count 1
            canopy_http_request_duration_seconds_sum 1.5E-4
            """;

    @Test
    void readsSamplesWithTheirLabels() {
        PrometheusText text = PrometheusText.parse(GOOD);
        assertThat(text.types()).containsEntry("canopy_services", "gauge")
                .containsEntry("canopy_service_registrations", "counter");
        assertThat(text.value("canopy_service_registrations_total", Map.of("via", "request"))).hasValue(3.0);
        assertThat(text.value("canopy_services", Map.of("orchestrator_id", "01M8A595AF1DYM3V123VW351TP",
                "region", "us-east", "domain", ""))).hasValue(2.0);
        assertThat(text.samples("canopy_http_request_duration_seconds_bucket", Map.of("route", "/a \"b\"")))
                .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(1.0);
        assertThat(text.help("canopy_services")).isEqualTo("Services registered here");
    }

    @Test
    void refusesWhatIsNotTheFormat() {
        assertThatThrownBy(() -> PrometheusText.parse("canopy_services 1\n")).hasMessageContaining("no declared family");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1\"} one\n"))
                .hasMessageContaining("not in the text format");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=unquoted} 1\n"))
                .hasMessageContaining("not in the text format");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1")).hasMessageContaining("line break");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n\nx 1\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n# TYPE x counter\n"))
                .hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("{\"json\":true}\n")).hasMessageContaining("line 1");
    }
}
