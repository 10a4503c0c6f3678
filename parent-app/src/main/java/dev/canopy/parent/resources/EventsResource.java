package dev.canopy.parent.resources;

import dev.canopy.api.parent.EventsApi;
import dev.canopy.core.events.EventStreams;
import dev.canopy.parent.core.HierarchyView;
import dev.canopy.parent.core.ParentRegistry;
import jakarta.ws.rs.core.Response;

/** The registry's changes as Server-Sent Events, starting from a snapshot of the hierarchy or a past index. */
public final class EventsResource implements EventsApi {
    private final ParentRegistry registry;
    private final HierarchyView hierarchy;
    private final EventStreams streams;

    public EventsResource(ParentRegistry registry, HierarchyView hierarchy, EventStreams streams) {
        this.registry = registry;
        this.hierarchy = hierarchy;
        this.streams = streams;
    }

    @Override
    public Response streamEvents(String lastEventIdHeader, String lastEventIdQuery) {
        return streams.open(lastEventIdHeader, lastEventIdQuery, after -> registry.subscribe(after, hierarchy::now));
    }
}
