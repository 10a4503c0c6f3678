package dev.canopy.parent.resources;

import dev.canopy.api.model.DeregistrationStatus;
import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.LeaseStatus;
import dev.canopy.api.model.OrchestratorDeregistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorLease;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.OrchestratorPing;
import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.api.model.ReconcileResult;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeBatchResult;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeOutcome;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.api.model.ServiceChangeResult;
import dev.canopy.api.model.ServiceEntry;
import dev.canopy.api.model.ServiceSet;
import dev.canopy.api.parent.OrchestratorsApi;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.limits.RegistrationLimits;
import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemException;
import dev.canopy.core.problem.ProblemType;
import dev.canopy.core.registry.Page;
import dev.canopy.core.registry.ServiceLimitReachedException;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.Views;
import dev.canopy.parent.core.BatchRefusedException;
import dev.canopy.parent.core.OrchestratorRecord;
import dev.canopy.parent.core.OrchestratorViews;
import dev.canopy.parent.core.ParentRegistry;
import dev.canopy.parent.core.Removal;
import dev.canopy.parent.core.ServiceHeldElsewhereException;
import dev.canopy.parent.core.UnknownOrchestratorException;
import dev.canopy.parent.metrics.ParentMetrics;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class OrchestratorsResource implements OrchestratorsApi {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorsResource.class);

    private final ParentRegistry registry;
    /** Whose key the request carries: each change is checked against the owner of what it touches. */
    private final Supplier<Caller> caller;
    private final ParentMetrics metrics;
    private final int maxBatchChanges;

    public OrchestratorsResource(ParentRegistry registry, Supplier<Caller> caller, ParentMetrics metrics,
                                 int maxBatchChanges) {
        this.registry = registry;
        this.caller = caller;
        this.metrics = metrics;
        this.maxBatchChanges = maxBatchChanges;
    }

    /** Where an orchestrator renews its lease, relative to the parent's base URL. */
    static String pingPath(String orchestratorId) {
        return "/api/v1/orchestrators/" + orchestratorId + "/$ping";
    }

    @Override
    public Response registerOrchestrator(OrchestratorRegistration registration) {
        RegistrationLimits.require(registration.getUrl(), registration.getInfo());
        ParentRegistry.Enrolment enrolment = registry.registerOrchestrator(registration.getId(),
                registration.getUrl(), registration.getInfo(), registration.getRegion(), registration.getDomain(),
                caller.get());
        enrolment.displaced().ifPresent(removal -> {
            metrics.orchestratorDisplaced(removal);
            Events.warn(LOG, "orchestrator_displaced")
                    .with("orchestrator_id", removal.orchestrator().id()).with("url", removal.orchestrator().url())
                    .with("services_removed", removal.services().size())
                    .log("Another orchestrator registered at this url; the one before it was removed");
        });
        boolean created = enrolment.result().created();
        if (created) {
            metrics.orchestratorRegistered();
        }
        OrchestratorRecord orchestrator = enrolment.result().record();
        Events.info(LOG, created ? "orchestrator_registered" : "orchestrator_updated")
                .with("orchestrator_id", orchestrator.id()).with("url", orchestrator.url())
                .with("region", orchestrator.region()).with("domain", orchestrator.domain())
                .log(created ? "Orchestrator registered" : "Orchestrator registered again; updated");
        RegistrationResult answer = new RegistrationResult(orchestrator.id(),
                created ? RegistrationStatus.REGISTERED : RegistrationStatus.UPDATED, orchestrator.url(),
                (created ? "Orchestrator registered for " : "Orchestrator updated for ") + orchestrator.scope(),
                registry.ttlSeconds(), pingPath(orchestrator.id()));
        // Relative: JAX-RS resolves it against the request's base URI into an absolute Location.
        URI location = URI.create("api/v1/orchestrators/" + orchestrator.id());
        return (created ? Response.created(location) : Response.ok().location(location)).entity(answer).build();
    }

    @Override
    public Response pingOrchestrator(String id, OrchestratorPing ping) {
        ParentRegistry.Renewal renewal = registry.renewOrchestrator(id,
                        ping == null ? null : ping.getServicesDigest(), ping == null ? null : ping.getPendingForwards(),
                        caller.get())
                .orElseThrow(() -> ProblemException.notFound("orchestrator", id));
        OrchestratorRecord orchestrator = renewal.orchestrator();
        metrics.reported(orchestrator, ping == null ? null : ping.getStats());
        if (Boolean.FALSE.equals(orchestrator.inSync())) {
            Events.info(LOG, "orchestrator_out_of_sync").with("orchestrator_id", id)
                    .with("reported_digest", ping.getServicesDigest()).with("parent_digest", renewal.servicesDigest())
                    .log("The child's services and the parent's copy differ; it will send its complete set");
        }
        return Response.ok(new OrchestratorLease(id, LeaseStatus.ALIVE, Views.utc(orchestrator.lastPingAt()),
                Views.utc(orchestrator.expiresAt()), orchestrator.inSync(), renewal.servicesDigest())).build();
    }

    @Override
    public Response replaceOrchestratorServices(String id, ServiceSet set) {
        int limit = registry.maxServicesPerOrchestrator();
        if (set.getServices().size() > limit) {
            throw ProblemException.invalidBody(List.of(new InvalidParam("body.services", "lists "
                    + set.getServices().size() + " services; one orchestrator may hold at most " + limit)));
        }
        List<InvalidParam> violations = new ArrayList<>();
        for (int i = 0; i < set.getServices().size(); i++) {
            ServiceEntry entry = set.getServices().get(i);
            violations.addAll(RegistrationLimits.violations("body.services[" + i + "]", entry.getUrl(),
                    entry.getInfo()));
        }
        RegistrationLimits.requireNone(violations);
        Instant now = Instant.now();
        List<ServiceRecord> complete = new ArrayList<>(set.getServices().size());
        Set<String> seen = new HashSet<>();
        for (ServiceEntry entry : set.getServices()) {
            if (!seen.add(entry.getId())) {
                throw new ProblemException(ProblemType.INVALID_BODY,
                        "body.services lists service " + entry.getId() + " more than once");
            }
            complete.add(ServiceRecord.of(entry.getId(), entry.getUrl(), entry.getInfo(), id, now, now, null, null));
        }
        ParentRegistry.Reconciliation result;
        try {
            result = registry.replaceServices(id, complete, caller.get());
        } catch (UnknownOrchestratorException e) {
            throw ProblemException.notFound("orchestrator", id);
        } catch (ServiceHeldElsewhereException e) {
            throw new ProblemException(ProblemType.CONFLICT, e.getMessage());
        } catch (ServiceLimitReachedException e) {
            throw new ProblemException(ProblemType.SERVICE_LIMIT_REACHED, e.getMessage());
        }
        metrics.reconciled(result.replacement().added(), result.replacement().removed());
        Events.info(LOG, "orchestrator_reconciled").with("orchestrator_id", id)
                .with("added", result.replacement().added()).with("updated", result.replacement().updated())
                .with("removed", result.replacement().removed()).with("service_count", result.serviceCount())
                .log("The parent's copy of the child's services was replaced by its complete set");
        return Response.ok(new ReconcileResult(id, result.replacement().added(), result.replacement().updated(),
                result.replacement().removed(), result.serviceCount(), result.servicesDigest())).build();
    }

    @Override
    public Response applyOrchestratorServiceChanges(String id, ServiceChangeBatch batch) {
        List<ServiceChangeRequest> requested = batch.getChanges();
        if (requested.size() > maxBatchChanges) {
            throw ProblemException.invalidBody(List.of(new InvalidParam("body.changes", "lists "
                    + requested.size() + " changes; a batch may list at most " + maxBatchChanges)));
        }
        List<InvalidParam> violations = new ArrayList<>();
        List<ParentRegistry.ForwardedChange> changes = new ArrayList<>(requested.size());
        for (int i = 0; i < requested.size(); i++) {
            ServiceChangeRequest change = requested.get(i);
            String at = "body.changes[" + i + "]";
            if (change.getOp() == ServiceChangeOp.UPSERT) {
                if (change.getUrl() == null) {
                    violations.add(new InvalidParam(at + ".url", "is required for an upsert"));
                } else {
                    violations.addAll(RegistrationLimits.violations(at, change.getUrl(), change.getInfo()));
                }
                changes.add(ParentRegistry.ForwardedChange.upsert(change.getId(),
                        change.getUrl() == null ? "" : change.getUrl(), change.getInfo()));
            } else {
                // A removal that carries a service is a confused client: refusing it beats guessing which it meant.
                if (change.getUrl() != null) {
                    violations.add(new InvalidParam(at + ".url", "must be absent for a removal"));
                }
                // The generated model reads a missing info as empty: only one that says something is refused.
                if (change.getInfo() != null && !change.getInfo().isEmpty()) {
                    violations.add(new InvalidParam(at + ".info", "must be absent for a removal"));
                }
                changes.add(ParentRegistry.ForwardedChange.removal(change.getId()));
            }
        }
        RegistrationLimits.requireNone(violations);
        ParentRegistry.BatchResult result;
        try {
            result = registry.applyChanges(id, changes, caller.get());
        } catch (UnknownOrchestratorException e) {
            throw ProblemException.notFound("orchestrator", id);
        } catch (BatchRefusedException e) {
            throw new ProblemException(e.reason() == BatchRefusedException.Reason.HELD_ELSEWHERE
                    ? ProblemType.CONFLICT : ProblemType.SERVICE_LIMIT_REACHED, e.getMessage(),
                    e.refused().stream().map(refused -> new InvalidParam("body.changes[" + refused.index() + "]"
                            + (refused.field() == null ? "" : "." + refused.field()), refused.reason())).toList());
        }
        List<ServiceChangeResult> results = new ArrayList<>(changes.size());
        int created = 0;
        int removed = 0;
        for (int i = 0; i < changes.size(); i++) {
            ParentRegistry.Applied applied = result.applied().get(i);
            created += applied == ParentRegistry.Applied.CREATED ? 1 : 0;
            removed += applied == ParentRegistry.Applied.REMOVED ? 1 : 0;
            // One line per change, as the single forwards logged them: the batch changes nothing an
            // operator following one service in the log sees.
            ParentRegistry.ForwardedChange change = changes.get(i);
            switch (applied) {
                case CREATED, UPDATED -> Events.info(LOG, applied == ParentRegistry.Applied.CREATED
                                ? "service_registered" : "service_updated")
                        .with("service_id", change.id()).with("orchestrator_id", id).with("url", change.url())
                        .log(applied == ParentRegistry.Applied.CREATED ? "Service registered"
                                : "Service registered again; updated");
                case REMOVED -> Events.info(LOG, "service_deregistered").with("service_id", change.id())
                        .with("orchestrator_id", id).log("Service deregistered");
                case ABSENT -> {
                }
            }
            results.add(new ServiceChangeResult(changes.get(i).id(), switch (applied) {
                case CREATED -> ServiceChangeOutcome.CREATED;
                case UPDATED -> ServiceChangeOutcome.UPDATED;
                case REMOVED -> ServiceChangeOutcome.REMOVED;
                case ABSENT -> ServiceChangeOutcome.ABSENT;
            }));
        }
        metrics.batchApplied(created, removed);
        Events.info(LOG, "service_batch_applied").with("orchestrator_id", id).with("changes", changes.size())
                .with("created", created).with("removed", removed).with("service_count", result.serviceCount())
                .log("A batch of the child's changes was applied");
        return Response.ok(new ServiceChangeBatchResult(id, results, result.serviceCount(), result.servicesDigest()))
                .build();
    }

    @Override
    public Response listOrchestrators(Integer limit, String after) {
        Page<OrchestratorDetail> page = registry.orchestrators(after, limit)
                .map(record -> OrchestratorViews.detail(record, registry));
        return Response.ok(new OrchestratorList(page.items().size(), page.items(),
                page.next("/api/v1/orchestrators?limit=" + limit))).build();
    }

    @Override
    public Response getOrchestrator(String id) {
        return registry.orchestrator(id)
                .map(record -> Response.ok(OrchestratorViews.detail(record, registry)).build())
                .orElseThrow(() -> ProblemException.notFound("orchestrator", id));
    }

    @Override
    public Response deregisterOrchestrator(String id) {
        Removal removal = registry.deregisterOrchestrator(id, caller.get())
                .orElseThrow(() -> ProblemException.notFound("orchestrator", id));
        metrics.orchestratorDeregistered(removal);
        Events.info(LOG, "orchestrator_deregistered").with("orchestrator_id", id)
                .with("url", removal.orchestrator().url()).with("services_removed", removal.services().size())
                .log("Orchestrator deregistered with its services");
        return Response.ok(new OrchestratorDeregistration(DeregistrationStatus.DEREGISTERED,
                OrchestratorViews.detail(removal.orchestrator(), removal.held()),
                removal.services().size())).build();
    }
}
