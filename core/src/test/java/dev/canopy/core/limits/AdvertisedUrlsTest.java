package dev.canopy.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdvertisedUrlsTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8001", "https://pay.example.org", "HTTP://Host:1/base?x=1#f",
            "http://us_orchestrator:9001", "http://[::1]:8080/", "http://[2001:db8::1]", "http://10.0.0.1:65535",
            "http://h/%41%42"})
    void acceptsUrlsAServiceCanBeReachedAt(String url) {
        assertThat(AdvertisedUrls.problemWith(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:0", "http://h:65536", "http://h:99999999999", "http://h:", "http://h:8o",
            "http://:80", "http://[]:80", "http://h/a|b", "http://h/{x}", "ftp://h", "http://u:p@h",
            "http://h/%zz"})
    void refusesUrlsThatNameNoReachableHost(String url) {
        assertThat(AdvertisedUrls.problemWith(url)).isNotNull();
    }
}
