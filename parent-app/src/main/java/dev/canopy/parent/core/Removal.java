package dev.canopy.parent.core;

import dev.canopy.core.registry.ServiceRecord;
import java.util.List;

/** An orchestrator that was deregistered, with the services that went with it. */
public record Removal(OrchestratorRecord orchestrator, List<ServiceRecord> services) {
}
