package dev.canopy.e2e.harness;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the tree must hold, from the test's own records: the live children, the services registered
 * at each (id to url, as the children's answers said) and, once known, the id the parent gave each
 * child, which it must keep across the parent's restarts. A fault test compares every level of the
 * tree with this, entry by entry.
 */
public final class Ledger {
    /** A service as the parent must place it: its url, under the id of the child that holds it. */
    public record Placement(String url, String orchestratorId) {
    }

    private final Map<String, String> childIds = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> servicesByChild = new ConcurrentHashMap<>();
    private final AtomicInteger registrations = new AtomicInteger();

    /** {@code child} runs: it and its services must be in the tree. */
    public void track(ChildOrchestrator child) {
        servicesByChild.computeIfAbsent(child.url(), url -> new ConcurrentHashMap<>());
    }

    /** The parent gave {@code child} {@code orchestratorId}: from now on it must be held under that id. */
    public void childRegistered(ChildOrchestrator child, String orchestratorId) {
        track(child);
        childIds.put(child.url(), orchestratorId);
    }

    /** {@code child} is gone (crashed or stopped): neither it nor its services may be anywhere. */
    public void childGone(ChildOrchestrator child) {
        childIds.remove(child.url());
        servicesByChild.remove(child.url());
    }

    /** {@code child} answered a registration of {@code url} with {@code id}. */
    public void registered(ChildOrchestrator child, String id, String url) {
        registrations.incrementAndGet();
        servicesOf(child).put(id, url);
    }

    /** The service {@code id} left {@code child}: deregistered, or its process is gone. */
    public void gone(ChildOrchestrator child, String id) {
        servicesOf(child).remove(id);
    }

    /** How many registrations the test made (answered), whatever became of them. */
    public int registrations() {
        return registrations.get();
    }

    /** The child's services: id to url. */
    public Map<String, String> at(ChildOrchestrator child) {
        return Map.copyOf(servicesOf(child));
    }

    /** The id the parent gave {@code child}, null if not known yet. */
    public String childId(ChildOrchestrator child) {
        return childIds.get(child.url());
    }

    /** Every live child: url to the id the parent gave it (null if not known yet). */
    Map<String, String> childIdsByUrl() {
        Map<String, String> ids = new HashMap<>();
        servicesByChild.keySet().forEach(url -> ids.put(url, childIds.get(url)));
        return ids;
    }

    /** Every live child's services: child url to (id to url). */
    Map<String, Map<String, String>> servicesByChildUrl() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        servicesByChild.forEach((url, services) -> copy.put(url, Map.copyOf(services)));
        return copy;
    }

    private Map<String, String> servicesOf(ChildOrchestrator child) {
        Map<String, String> services = servicesByChild.get(child.url());
        if (services == null) {
            throw new IllegalStateException(child + " is not in the ledger");
        }
        return services;
    }
}
