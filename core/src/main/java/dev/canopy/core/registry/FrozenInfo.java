package dev.canopy.core.registry;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map in insertion order, kept as one array of alternating keys and values: what
 * {@link Info#freeze} makes. An info object holds a few keys, so a linear scan finds one as fast as a
 * hash would, and the map costs 16 + 16 + 8 per entry bytes where a wrapped {@code LinkedHashMap} costs
 * about 200 for two entries (docs/performance.md, "Where a service's heap goes"). Being its own class
 * also tells {@link Info#freeze} that a map is frozen already, so a record is never copied twice.
 * JSON nulls are kept as values; keys are never null (JSON has none).
 */
final class FrozenInfo extends AbstractMap<String, Object> {
    static final FrozenInfo EMPTY = new FrozenInfo(new Object[0]);

    private final Object[] keysAndValues;

    /** @param keysAndValues key 0, value 0, key 1, value 1...: owned by this map from now on */
    FrozenInfo(Object[] keysAndValues) {
        this.keysAndValues = keysAndValues;
    }

    @Override
    public int size() {
        return keysAndValues.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return keysAndValues.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : keysAndValues[index + 1];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keysAndValues.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keysAndValues.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> entry = new SimpleImmutableEntry<>((String) keysAndValues[next],
                                keysAndValues[next + 1]);
                        next += 2;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return FrozenInfo.this.size();
            }
        };
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) {
        Objects.requireNonNull(action);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            action.accept((String) keysAndValues[i], keysAndValues[i + 1]);
        }
    }

    static boolean isFrozen(Map<?, ?> map) {
        return map instanceof FrozenInfo;
    }
}
