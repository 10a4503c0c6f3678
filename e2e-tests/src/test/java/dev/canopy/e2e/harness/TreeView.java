package dev.canopy.e2e.harness;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.e2e.harness.Ledger.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One reading of the tree: the children and services the parent holds, and the id and services each
 * child holds, all as their APIs answer.
 *
 * @param orchestratorsAtParent orchestrator id to url
 * @param servicesAtParent      service id to where the parent places it
 * @param childIds              child url to the id the child says the parent gave it
 * @param servicesAtChildren    child url to its services, id to url
 */
public record TreeView(Map<String, String> orchestratorsAtParent, Map<String, Placement> servicesAtParent,
                       Map<String, String> childIds, Map<String, Map<String, String>> servicesAtChildren) {

    /** How far a reading is from the {@link Ledger}; {@link #exact()} when not at all. */
    public record Comparison(int lost, int duplicated, List<String> differences) {
        public boolean exact() {
            return differences.isEmpty();
        }

        /** Up to {@code max} differences, one a line, to explain a failure. */
        public String describe(int max) {
            String shown = String.join("\n  ", differences.subList(0, Math.min(max, differences.size())));
            return differences.size() + " differences:\n  " + shown
                    + (differences.size() > max ? "\n  ..." : "");
        }
    }

    public static TreeView read(ParentOrchestrator parent, Collection<ChildOrchestrator> children) throws ApiException {
        Map<String, String> orchestrators = new HashMap<>();
        for (OrchestratorDetail orchestrator : parent.allOrchestrators()) {
            orchestrators.put(orchestrator.getId(), orchestrator.getUrl());
        }
        Map<String, Placement> services = new HashMap<>();
        for (ServiceDetail service : parent.allServices(null)) {
            services.put(service.getId(), new Placement(service.getUrl(), service.getOrchestratorId()));
        }
        Map<String, String> childIds = new HashMap<>();
        Map<String, Map<String, String>> servicesAtChildren = new LinkedHashMap<>();
        for (ChildOrchestrator child : children) {
            childIds.put(child.url(), child.info().getOrchestratorId());
            Map<String, String> held = new HashMap<>();
            for (LocalService service : child.allServices()) {
                held.put(service.getId(), service.getUrl());
            }
            servicesAtChildren.put(child.url(), held);
        }
        return new TreeView(orchestrators, services, childIds, servicesAtChildren);
    }

    /**
     * A cheap look, for polling while the sets are large: the parent holds exactly these children,
     * under the ids they know themselves by, and for each the parent's digest of the child's services
     * equals the child's own (the digest covers ids, urls and info: equal digests, equal sets).
     */
    public static boolean digestsAgree(ParentOrchestrator parent, Collection<ChildOrchestrator> children)
            throws ApiException {
        Map<String, OrchestratorDetail> atParent = new HashMap<>();
        for (OrchestratorDetail orchestrator : parent.allOrchestrators()) {
            atParent.put(orchestrator.getId(), orchestrator);
        }
        if (atParent.size() != children.size()) {
            return false;
        }
        for (ChildOrchestrator child : children) {
            ChildOrchestratorInfo info = child.info();
            OrchestratorDetail copy = info.getOrchestratorId() == null ? null : atParent.get(info.getOrchestratorId());
            if (copy == null || !copy.getUrl().equals(child.url())
                    || !copy.getSync().getServicesDigest().equals(info.getSync().getServicesDigest())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares every level with {@code ledger}. Lost: services of the ledger missing (or held
     * differently) at their child or at the parent, each counted once. Duplicated: entries held beyond
     * the ledger's, at a child or at the parent (a service under a second id, or one that should be
     * gone).
     */
    public Comparison against(Ledger ledger) {
        List<String> differences = new ArrayList<>();
        Set<String> lost = new HashSet<>();
        int duplicated = 0;
        Map<String, String> expectedOrchestrators = new HashMap<>();
        Map<String, Placement> expectedAtParent = new HashMap<>();

        Map<String, String> ledgerIds = ledger.childIdsByUrl();
        for (Map.Entry<String, Map<String, String>> child : ledger.servicesByChildUrl().entrySet()) {
            String childUrl = child.getKey();
            String reportedId = childIds.get(childUrl);
            String expectedId = ledgerIds.get(childUrl) != null ? ledgerIds.get(childUrl) : reportedId;
            if (!servicesAtChildren.containsKey(childUrl)) {
                throw new IllegalArgumentException("The reading does not cover the child at " + childUrl);
            }
            if (reportedId == null || !reportedId.equals(expectedId)) {
                differences.add("child " + childUrl + " knows itself as " + reportedId + ", expected " + expectedId);
            }
            if (expectedId != null) {
                expectedOrchestrators.put(expectedId, childUrl);
            }
            Map<String, String> held = servicesAtChildren.get(childUrl);
            child.getValue().forEach((id, url) -> {
                if (!url.equals(held.get(id))) {
                    lost.add(id);
                    differences.add("child " + childUrl + " lacks " + id + " " + url + " (holds " + held.get(id) + ")");
                }
                expectedAtParent.put(id, new Placement(url, expectedId));
            });
            for (Map.Entry<String, String> entry : held.entrySet()) {
                if (!child.getValue().containsKey(entry.getKey())) {
                    duplicated++;
                    differences.add("child " + childUrl + " holds " + entry.getKey() + " " + entry.getValue()
                            + " beyond the ledger");
                }
            }
        }

        expectedOrchestrators.forEach((id, url) -> {
            if (!url.equals(orchestratorsAtParent.get(id))) {
                differences.add("the parent lacks orchestrator " + id + " " + url);
            }
        });
        orchestratorsAtParent.forEach((id, url) -> {
            if (!expectedOrchestrators.containsKey(id)) {
                differences.add("the parent holds orchestrator " + id + " " + url + " beyond the ledger");
            }
        });
        expectedAtParent.forEach((id, placement) -> {
            if (!Objects.equals(placement, servicesAtParent.get(id))) {
                lost.add(id);
                differences.add("the parent lacks " + id + " " + placement + " (holds " + servicesAtParent.get(id) + ")");
            }
        });
        for (Map.Entry<String, Placement> entry : servicesAtParent.entrySet()) {
            if (!expectedAtParent.containsKey(entry.getKey())) {
                duplicated++;
                differences.add("the parent holds " + entry.getKey() + " " + entry.getValue() + " beyond the ledger");
            }
        }
        return new Comparison(lost.size(), duplicated, differences);
    }
}
