package dev.canopy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.tls.HttpOrHttpsConnectorFactory;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigurationFactoryWithoutBlackbirdTest {
    @Test
    void theMapperHasDropwizardsModulesAllButBlackbird() {
        Set<String> dropwizards = moduleIds(Jackson.newObjectMapper().getRegisteredModuleIds());
        Set<String> ours = moduleIds(ConfigurationFactoryWithoutBlackbird.mapper().getRegisteredModuleIds());

        assertThat(dropwizards).anyMatch(id -> id.contains("blackbird"));
        assertThat(ours).noneMatch(id -> id.contains("blackbird"))
                .isEqualTo(dropwizards.stream().filter(id -> !id.contains("blackbird")).collect(Collectors.toSet()));
    }

    @Test
    void everyCanopyAppReadsItsConfigurationThroughIt() {
        Bootstrap<Configuration> bootstrap = new Bootstrap<>(new Application<>() {
            @Override
            public void run(Configuration configuration, Environment environment) {
            }
        });

        new CanopyBundle("parent").initialize(bootstrap);

        assertThat(bootstrap.getConfigurationFactoryFactory()).isInstanceOf(ConfigurationFactoryWithoutBlackbird.class);
    }

    @Test
    void readsWhatDropwizardReadsCaseInsensitiveEnumsAndDurationsIncluded() throws Exception {
        HttpOrHttpsConnectorFactory connector = read("""
                type: http-or-https
                port: 9443
                clientAuth: need
                idleTimeout: 45 seconds
                keyStorePath: /etc/canopy/key.p12
                keyStorePassword: secret
                trustStorePath: /etc/canopy/trust.p12
                trustStorePassword: secret
                """);

        assertThat(connector.getPort()).isEqualTo(9443);
        assertThat(connector.getClientAuth()).isEqualTo(HttpOrHttpsConnectorFactory.ClientAuth.NEED);
        assertThat(connector.getIdleTimeout()).isEqualTo(Duration.seconds(45));
        assertThat(connector.isTlsEnabled()).isTrue();
    }

    @Test
    void aMisspeltSettingIsStillAnError() {
        assertThatThrownBy(() -> read("type: http-or-https\nport: 9443\nclientAuht: need\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("clientAuht");
    }

    private static Set<String> moduleIds(Set<Object> ids) {
        return ids.stream().map(id -> String.valueOf(id).toLowerCase()).collect(Collectors.toSet());
    }

    private static HttpOrHttpsConnectorFactory read(String yaml) throws Exception {
        return new ConfigurationFactoryWithoutBlackbird<HttpOrHttpsConnectorFactory>()
                .create(HttpOrHttpsConnectorFactory.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "connector.yml");
    }
}
