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

    /*
     * No view is kept in a field, unlike AbstractMap's keySet() and values() (and the LinkedHashMap and
     * unmodifiableMap this replaced, whose entrySet() is cached on first use). A parent holds its
     * services for hours in the old generation; a view stored into one on its first read is a young
     * object referenced from an old one, so every young collection until it is promoted scans that card.
     * Paging at random through 1,000,000 services reads new ones for minutes and kept hundreds of
     * thousands of such cards dirty: young pauses of 100-400 ms of CPU (docs/performance.md, scenario 4).
     */
    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return new Stride<>(0);
            }

            @Override
            public int size() {
                return FrozenInfo.this.size();
            }
        };
    }

    @Override
    public java.util.Collection<Object> values() {
        return new java.util.AbstractCollection<>() {
            @Override
            public Iterator<Object> iterator() {
                return new Stride<>(1);
            }

            @Override
            public int size() {
                return FrozenInfo.this.size();
            }
        };
    }

    /** Every other element of the array from {@code first}: the keys (0) or the values (1). */
    private final class Stride<T> implements Iterator<T> {
        private int next;

        Stride(int first) {
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            return next < keysAndValues.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= keysAndValues.length) {
                throw new NoSuchElementException();
            }
            T element = (T) keysAndValues[next];
            next += 2;
            return element;
        }
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
