package dev.canopy.parent.core;

import dev.canopy.core.registry.Holding;
import dev.canopy.core.registry.ServiceRecord;
import java.util.List;

/**
 * An orchestrator that was deregistered, with the services that went with it and their count and
 * digest as the registry kept them just before.
 */
public record Removal(OrchestratorRecord orchestrator, List<ServiceRecord> services, Holding held) {
}
