package dev.canopy.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import dev.canopy.core.CanopyBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UtcTimestampSerializerTest {
    private static final long FIRST = OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond();
    private static final long LAST = OffsetDateTime.parse("9999-12-31T23:59:59Z").toEpochSecond();

    /** Any second of years 0 to 9999, with nanoseconds of every shape: none, whole ms, whole µs, any. */
    @Provide
    Arbitrary<OffsetDateTime> utcTimes() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.of(100_000_000, 120_000_000, 10, 1, 999_999_999));
        return Arbitraries.longs().between(FIRST, LAST).flatMap(second -> nanos
                .map(nano -> Instant.ofEpochSecond(second, nano).atOffset(ZoneOffset.UTC)));
    }

    @Property(tries = 5000)
    void writesWhatTheIsoFormatterWrites(@ForAll("utcTimes") OffsetDateTime time) {
        assertThat(UtcTimestampSerializer.format(time)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
    }

    /** Canopy's mapper against Dropwizard's with the same date setting: the answers must not change. */
    private static ObjectMapper dropwizards() {
        return Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static ObjectMapper canopys() {
        return dropwizards().registerModule(UtcTimestampSerializer.module());
    }

    /** The mapper of an app built with {@link CanopyBundle}, as its bootstrap leaves it. */
    private static ObjectMapper canopyAppsMapper(String app) {
        Bootstrap<Configuration> bootstrap = new Bootstrap<>(new Application<>() {
            @Override
            public void run(Configuration configuration, Environment environment) {
            }
        });
        new CanopyBundle(app).initialize(bootstrap);
        return bootstrap.getObjectMapper();
    }

    public record Times(@JsonProperty("at") OffsetDateTime at,
                        @JsonProperty("day") @JsonFormat(pattern = "yyyy-MM-dd") OffsetDateTime day) {
    }

    /** A bean whose getter notes whether Jackson called it through reflection. */
    public static final class Stamped {
        private final OffsetDateTime at;
        private boolean readByReflection;

        Stamped(OffsetDateTime at) {
            this.at = at;
        }

        @JsonProperty("at")
        public OffsetDateTime getAt() {
            // The frames between this getter and Jackson's property writer that called it.
            readByReflection = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES).walk(frames -> frames
                    .skip(1).takeWhile(frame -> !frame.getClassName().startsWith("com.fasterxml.jackson."))
                    .anyMatch(frame -> frame.getClassName().startsWith("java.lang.reflect.")
                            || frame.getClassName().startsWith("jdk.internal.reflect.")));
            return at;
        }
    }

    @Test
    void aTimePropertyIsReadThroughBlackbirdsAccessorNotReflection() throws Exception {
        ObjectMapper mapper = canopyAppsMapper("parent");
        Stamped stamped = new Stamped(OffsetDateTime.parse("2026-11-27T02:46:24.5Z"));

        String json = mapper.writeValueAsString(stamped);

        assertThat(json).isEqualTo("{\"at\":\"2026-11-27T02:46:24.5Z\"}");
        assertThat(stamped.readByReflection).as("the getter was called through Method.invoke").isFalse();
    }

    @Test
    void theMapperWritesEveryTimeAsDropwizardsDoes() throws Exception {
        for (OffsetDateTime time : new OffsetDateTime[] {
                OffsetDateTime.parse("2026-11-27T02:46:24.028Z"),
                OffsetDateTime.parse("2026-11-27T02:46:24Z"),
                OffsetDateTime.parse("2026-11-27T02:46:24.1+02:00"),
                OffsetDateTime.parse("+10000-01-01T00:00:00Z"),
                OffsetDateTime.parse("-0001-12-31T23:59:59.5Z")}) {
            Times times = new Times(time, time);
            assertThat(canopys().writeValueAsString(times)).isEqualTo(dropwizards().writeValueAsString(times));
        }
    }

    @Test
    void aMapperWithItsOwnTimeZoneIsLeftToJackson() throws Exception {
        OffsetDateTime time = OffsetDateTime.parse("2026-11-27T02:46:24.028Z");
        TimeZone zone = TimeZone.getTimeZone("Asia/Kolkata");
        String expected = dropwizards().setTimeZone(zone).writeValueAsString(time);
        assertThat(expected).isEqualTo("\"2026-11-27T08:16:24.028+05:30\"");
        assertThat(canopys().setTimeZone(zone).writeValueAsString(time)).isEqualTo(expected);
    }

    @Test
    void everyCanopyAppWritesTimesWithIt() throws Exception {
        ObjectMapper mapper = canopyAppsMapper("child");

        // A model's property gets a serializer made for it from the registered one: it must still be this one.
        JsonSerializer<Object> times = mapper.getSerializerProviderInstance()
                .findValueSerializer(Times.class);
        List<PropertyWriter> properties = new ArrayList<>();
        times.properties().forEachRemaining(properties::add);
        assertThat(properties).extracting(PropertyWriter::getName).containsExactly("at", "day");
        assertThat(((BeanPropertyWriter) properties.get(0)).getSerializer()).isInstanceOf(UtcTimestampSerializer.class);
        assertThat(mapper.writeValueAsString(new Times(OffsetDateTime.parse("2026-11-27T02:46:24.5Z"),
                OffsetDateTime.parse("2026-11-27T02:46:24.5Z")))).isEqualTo("{\"at\":\"2026-11-27T02:46:24.5Z\",\"day\":\"2026-11-27\"}");
    }
}
