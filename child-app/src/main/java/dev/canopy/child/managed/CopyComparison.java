package dev.canopy.child.managed;

import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.api.model.ServiceDigestEntry;
import dev.canopy.core.registry.ServiceRecord;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The changes that make the parent's copy of this child's services equal to a snapshot of them, found
 * by a merge join: the snapshot in id order (the registry's skip list keeps it so) against the
 * parent's copy, read page by page in the same order. Each page decides every id up to its last one,
 * so the changes it yields touch only ids the walk has passed, and sending them cannot disturb the
 * pages still to come. Services are compared by their digest (id, url and info in canonical form),
 * so two info maps that differ only in key order are equal.
 *
 * <p>One walk, on one thread: not thread-safe.
 */
final class CopyComparison {
    private final List<ServiceRecord> here;
    /** The snapshot's ids, in its order, without copying them. */
    private final List<String> idsHere = new AbstractList<>() {
        @Override
        public String get(int index) {
            return here.get(index).id();
        }

        @Override
        public int size() {
            return here.size();
        }
    };
    /** The first service of the snapshot that no page has decided yet. */
    private int next;
    private int added;
    private int updated;
    private int removed;

    /** @param snapshot this child's services, in id order */
    CopyComparison(List<ServiceRecord> snapshot) {
        this.here = snapshot;
    }

    /**
     * The changes one page of the parent's copy calls for: an upsert for each of ours it lacks (before
     * its last id) or holds otherwise, a removal for each it holds that we do not. {@code last}: no page
     * follows, so every service of ours not yet decided is missing there.
     */
    List<ServiceChangeRequest> page(List<ServiceDigestEntry> there, boolean last) {
        List<ServiceChangeRequest> changes = new ArrayList<>();
        for (ServiceDigestEntry entry : there) {
            String id = entry.getId();
            while (next < here.size() && here.get(next).id().compareTo(id) < 0) {
                changes.add(upsert(here.get(next++)));
                added++;
            }
            if (next < here.size() && here.get(next).id().equals(id)) {
                ServiceRecord mine = here.get(next++);
                if (mine.digest() != HexFormat.fromHexDigitsToLong(entry.getDigest())) {
                    changes.add(upsert(mine));
                    updated++;
                }
            } else {
                changes.add(new ServiceChangeRequest(ServiceChangeOp.REMOVE, id));
                removed++;
            }
        }
        if (last) {
            while (next < here.size()) {
                changes.add(upsert(here.get(next++)));
                added++;
            }
        }
        return changes;
    }

    /**
     * The snapshot's state of the services {@code ids} names, in id order: an upsert for each it holds,
     * a removal for each it does not. Sent to a parent whose copy equals this child's set but for these
     * services, they make it equal to the snapshot.
     */
    List<ServiceChangeRequest> stateOf(Collection<String> ids) {
        List<ServiceChangeRequest> changes = new ArrayList<>(ids.size());
        for (String id : new TreeSet<>(ids)) {
            int at = Collections.binarySearch(idsHere, id);
            changes.add(at >= 0 ? upsert(here.get(at)) : new ServiceChangeRequest(ServiceChangeOp.REMOVE, id));
        }
        return changes;
    }

    /** Services of ours the parent lacked. */
    int added() {
        return added;
    }

    /** Services the parent held otherwise than we do. */
    int updated() {
        return updated;
    }

    /** Services the parent held that we do not. */
    int removed() {
        return removed;
    }

    private static ServiceChangeRequest upsert(ServiceRecord service) {
        return new ServiceChangeRequest(ServiceChangeOp.UPSERT, service.id()).url(service.url()).info(service.info());
    }
}
