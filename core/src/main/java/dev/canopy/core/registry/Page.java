package dev.canopy.core.registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list ordered by id, and the id to resume after if more follow.
 *
 * <p>Pages are cut from a live sorted map or set by cursor ({@code tailMap(after, false)}), never by
 * offset: the concurrent skip-lists' iterators are weakly consistent, so a walk from page to page
 * sees every item that exists throughout it exactly once and in order, while items registered or
 * removed meanwhile cannot shift it. Reading one more item than the page holds tells whether a
 * next page exists without counting the rest: a page costs O(log n + limit), never O(n).
 *
 * @param resumeAfter the id of the page's last item if at least one item follows it, else null
 */
public record Page<T>(List<T> items, String resumeAfter) {
    /** The most items a caller may ask for on one page. */
    public static final int MAX_LIMIT = 1000;

    public Page {
        items = List.copyOf(items);
    }

    /** Up to {@code limit} items from {@code tail} (already past the cursor, in id order). */
    public static <T> Page<T> of(Iterator<T> tail, int limit, Function<T, String> idOf) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        List<T> items = new ArrayList<>(Math.min(limit, 128));
        while (items.size() < limit && tail.hasNext()) {
            items.add(tail.next());
        }
        boolean more = tail.hasNext();
        return new Page<>(items, more ? idOf.apply(items.get(items.size() - 1)) : null);
    }

    /** This page's items, each made into what the answer shows; the cursor stays. */
    public <R> Page<R> map(Function<T, R> view) {
        return new Page<>(items.stream().map(view).toList(), resumeAfter);
    }

    /**
     * The path and query of the next page: {@code pathAndQuery} (the list with its filter and limit,
     * already carrying a query) with {@code after} set to the cursor; null on the last page. Relative,
     * as {@code ping_url} is: an app does not know the URL its callers reach it by.
     */
    public String next(String pathAndQuery) {
        return resumeAfter == null ? null : pathAndQuery + "&after=" + resumeAfter;
    }
}
