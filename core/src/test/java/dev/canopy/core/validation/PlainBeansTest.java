package dev.canopy.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.OrchestratorPing;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.core.Ids;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** "Certainly valid" must never be said of a body Hibernate Validator finds a violation in. */
class PlainBeansTest {
    private static final Validator HIBERNATE = Validators.newValidator();
    private final PlainBeans beans = new PlainBeans(HIBERNATE);

    private static Arbitrary<String> urls() {
        return Arbitraries.oneOf(Arbitraries.of("http://svc.example:8080/", "https://[::1]/a?b#c", "http://a",
                        "ftp://svc.example/", "http://user@svc.example/", "http://svc example/", "http://", ""),
                Arbitraries.strings().ofMaxLength(12).map(s -> "http://" + s), Arbitraries.just(null),
                Arbitraries.just("http://" + "x".repeat(2045)), Arbitraries.just("http://" + "x".repeat(2041)));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.create(Ids::next), Arbitraries.of("01jd5z8q3m7w8y6kx2t4r9b1ce", "", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
                Arbitraries.just(null));
    }

    /** JSON-like info: up to 40 keys (the limit is 32), nested objects and arrays, nulls. */
    private static Arbitrary<Map<String, Object>> infos() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.just(null), Arbitraries.just(true));
        Arbitrary<Object> nested = Arbitraries.oneOf(leaf,
                Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(4), leaf).ofMaxSize(3)
                        .map(m -> (Object) new LinkedHashMap<>(m)),
                leaf.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l)));
        Arbitrary<Map<String, Object>> maps = Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(6), nested)
                .ofMaxSize(40).map(LinkedHashMap::new);
        return Arbitraries.oneOf(maps, Arbitraries.just(null));
    }

    @Provide
    Arbitrary<LocalServiceRegistration> registrations() {
        return Combinators.combine(urls(), ids(), infos())
                .as((url, id, info) -> new LocalServiceRegistration(url).id(id).info(info));
    }

    @Provide
    Arbitrary<ServiceChangeBatch> batches() {
        Arbitrary<ServiceChangeRequest> change = Combinators.combine(
                        Arbitraries.of(ServiceChangeOp.class).injectNull(0.1), ids(), urls(), infos())
                .as((op, id, url, info) -> new ServiceChangeRequest(op, id).url(url).info(info));
        Arbitrary<List<ServiceChangeRequest>> changes = change.injectNull(0.05).list().ofMaxSize(4)
                .map(ArrayList::new);
        return Arbitraries.oneOf(changes, Arbitraries.just((List<ServiceChangeRequest>) null)).map(ServiceChangeBatch::new);
    }

    @Provide
    Arbitrary<OrchestratorPing> pings() {
        return Combinators.combine(Arbitraries.of("0123456789abcdef", "0123456789ABCDEF", "12", "").injectNull(0.2),
                        Arbitraries.integers().between(-2, 2).injectNull(0.2), Arbitraries.integers().between(-1, 1).injectNull(0.2))
                .as((digest, count, pending) -> new OrchestratorPing().servicesDigest(digest).serviceCount(count)
                        .pendingForwards(pending));
    }

    @Property(tries = 3000)
    void aRegistrationIsCertainlyValidOnlyIfHibernateValidatorFindsNothing(
            @ForAll("registrations") LocalServiceRegistration registration) {
        agreesWithHibernateValidator(registration);
    }

    @Property(tries = 3000)
    void aBatchIsCertainlyValidOnlyIfHibernateValidatorFindsNothing(@ForAll("batches") ServiceChangeBatch batch) {
        agreesWithHibernateValidator(batch);
    }

    @Property(tries = 500)
    void aPingIsCertainlyValidOnlyIfHibernateValidatorFindsNothing(@ForAll("pings") OrchestratorPing ping) {
        agreesWithHibernateValidator(ping);
    }

    /** Never valid where the validator finds a violation; and valid where it finds none (these classes are all plain). */
    private void agreesWithHibernateValidator(Object body) {
        assertThat(beans.certainlyValid(body)).as("%s", body).isEqualTo(HIBERNATE.validate(body).isEmpty());
    }

    @Test
    void everyGeneratedModelLeftEmptyIsAnsweredAsHibernateValidatorAnswersIt() throws Exception {
        List<Class<?>> models = generatedModels();
        assertThat(models).hasSizeGreaterThan(20);
        int checked = 0;
        for (Class<?> model : models) {
            Object empty;
            try {
                empty = model.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                continue;
            }
            // Every generated model is plain, so the verdict is the validator's both ways.
            assertThat(beans.certainlyValid(empty)).as(model.getSimpleName()).isEqualTo(HIBERNATE.validate(empty).isEmpty());
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void aRegistrationAsServicesSendItIsCertainlyValid() {
        assertThat(beans.certainlyValid(new LocalServiceRegistration("http://svc-1.bench.example:8080/")
                .info(new LinkedHashMap<>(Map.of("display_name", "Bench Service", "version", "1.0.0"))))).isTrue();
    }

    static final class WithEmail {
        @Email
        String address = "not an address";
    }

    static final class WithElementConstraint {
        List<@NotNull String> names = new ArrayList<>(List.of("a"));
    }

    static final class WithDoubleMax {
        @Max(3)
        Double amount = 1.0;
    }

    static final class Outer {
        @Valid
        List<Inner> inners = new ArrayList<>();

        @Valid
        Map<String, Inner> byName = new LinkedHashMap<>();
    }

    static final class Inner {
        @NotNull
        @Size(min = 2)
        String name;

        Inner(String name) {
            this.name = name;
        }
    }

    @Test
    void anyOtherConstraintIsLeftToTheValidator() {
        assertThat(beans.certainlyValid(new WithEmail())).isFalse();
        assertThat(beans.certainlyValid(new WithElementConstraint())).isFalse();
        assertThat(beans.certainlyValid(new WithDoubleMax())).as("not a whole number").isFalse();
        assertThat(beans.certainlyValid(null)).isFalse();
    }

    @Test
    void aCascadeReachesListItemsAndMapValues() {
        Outer outer = new Outer();
        assertThat(beans.certainlyValid(outer)).isTrue();
        outer.inners.add(new Inner("ab"));
        outer.byName.put("x", new Inner("cd"));
        assertThat(beans.certainlyValid(outer)).isTrue();
        outer.byName.put("y", new Inner("c"));
        assertThat(beans.certainlyValid(outer)).isFalse();
        assertThat(HIBERNATE.validate(outer)).hasSize(1);
        outer.byName.remove("y");
        outer.inners.add(new Inner(null));
        assertThat(beans.certainlyValid(outer)).isFalse();
        assertThat(HIBERNATE.validate(outer)).hasSize(1);
    }

    /** Every class of the generated models' package, from the directory or jar it was loaded from. */
    private static List<Class<?>> generatedModels() throws IOException, URISyntaxException, ClassNotFoundException {
        Path where = Path.of(LocalServiceRegistration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = "dev/canopy/api/model/";
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.list(where.resolve(folder))) {
                files.map(p -> p.getFileName().toString()).forEach(names::add);
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(where.toFile())) {
                jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.startsWith(folder) && n.indexOf('/', folder.length()) < 0)
                        .map(n -> n.substring(folder.length())).forEach(names::add);
            }
        }
        List<Class<?>> models = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".class") && !name.contains("$")) {
                models.add(Class.forName("dev.canopy.api.model." + name.substring(0, name.length() - ".class".length())));
            }
        }
        return models;
    }
}
