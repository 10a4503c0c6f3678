package dev.canopy.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private final SseParser parser = new SseParser();

    private List<SseParser.Event> feed(String... lines) {
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void readsTheParentsFramesAfterItsRetryAndKeepAlive() {
        List<SseParser.Event> events = feed(
                "retry: 1000", "",
                "id: 41", "event: snapshot", "data: {\"index\":41}", "",
                ": keep-alive", "",
                "id: 42", "event: service.registered", "data: {\"index\":42,\"service\":{\"id\":\"A\"}}", "");

        assertThat(events).containsExactly(
                new SseParser.Event("snapshot", "{\"index\":41}", "41"),
                new SseParser.Event("service.registered", "{\"index\":42,\"service\":{\"id\":\"A\"}}", "42"));
        assertThat(parser.retryMillis()).isEqualTo(1000);
        assertThat(parser.lastEventId()).isEqualTo("42");
    }

    @Test
    void joinsDataLinesWithNewlinesAndDropsOnlyOneSpaceAfterTheColon() {
        assertThat(feed("data:first", "data:  second", "data", "")).containsExactly(
                new SseParser.Event("message", "first\n second\n", null));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsTypeDoesNotLeakIntoTheNext() {
        assertThat(feed("event: service.registered", "", "data: x", "")).containsExactly(
                new SseParser.Event("message", "x", null));
    }

    @Test
    void theLastIdCarriesOverToLaterEventsUntilAnotherIsNamed() {
        List<SseParser.Event> events = feed("id: 7", "data: a", "", "data: b", "", "id: 9", "data: c", "");

        assertThat(events).extracting(SseParser.Event::lastEventId).containsExactly("7", "7", "9");
    }

    @Test
    void ignoresUnknownFieldsBadRetriesIdsWithNullAndALeadingByteOrderMark() {
        List<SseParser.Event> events = feed("\uFEFFdata: first", "", "colour: red", "retry: soon", "id: a\0b",
                "data: second", "");

        assertThat(events).containsExactly(new SseParser.Event("message", "first", null),
                new SseParser.Event("message", "second", null));
        assertThat(parser.retryMillis()).isEqualTo(-1);
    }
}
