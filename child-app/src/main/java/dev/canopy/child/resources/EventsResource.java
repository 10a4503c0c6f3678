package dev.canopy.child.resources;

import dev.canopy.api.child.EventsApi;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.EventStreams;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Views;
import jakarta.ws.rs.core.Response;

/** The services' changes as Server-Sent Events, starting from a snapshot of them all or a past index. */
public final class EventsResource implements EventsApi {
    private final ServiceRegistry services;
    private final ChangeJournal journal;
    private final EventStreams streams;

    /** @param journal the journal {@code services} appends each change to */
    public EventsResource(ServiceRegistry services, ChangeJournal journal, EventStreams streams) {
        this.services = services;
        this.journal = journal;
        this.streams = streams;
    }

    @Override
    public Response streamEvents(String lastEventIdHeader, String lastEventIdQuery) {
        // Subscribed while no change can be made: the snapshot is exactly the state at its index.
        return streams.open(lastEventIdHeader, lastEventIdQuery, after -> services.atomically(() ->
                journal.subscribe(after, "services", () -> services.all().stream().map(Views::local).toList())));
    }
}
