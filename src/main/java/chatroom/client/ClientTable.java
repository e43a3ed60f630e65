package chatroom.client;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-client state (a budget, a meter) keyed by {@link ClientKey}, bounded in size and never closed to strangers:
 * when it is full, a new client's entry replaces the one used longest ago. An entry forgotten that way costs only
 * its own client, which starts afresh as if it had been idle; whoever fills the table cannot lock anyone out.
 *
 * <p>Every operation is O(1) under one lock (an access-ordered map: the eldest entry is the one used longest ago),
 * short enough for the per-message path. Any thread may call.
 *
 * @param <V> the state of one client; used only inside {@link #apply}, under the table's lock
 */
public final class ClientTable<V> {
    private static final class Entry<V> {
        final V value;
        long lastUsedNanos;

        Entry(V value, long lastUsedNanos) {
            this.value = value;
            this.lastUsedNanos = lastUsedNanos;
        }
    }

    private final int capacity;
    private final Map<String, Entry<V>> entries;
    private long evicted;

    public ClientTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a client table holds at least one client, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * Runs {@code action} on {@code key}'s state, made by {@code fresh} when the table has none (evicting the entry
     * used longest ago if the table is full), and marks it used at {@code nowNanos}.
     */
    public synchronized <R> R apply(String key, long nowNanos, Supplier<V> fresh, Function<V, R> action) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= capacity) {
                Iterator<Entry<V>> eldest = entries.values().iterator();
                eldest.next();
                eldest.remove();
                evicted++;
            }
            entry = new Entry<>(fresh.get(), nowNanos);
            entries.put(key, entry);
        }
        entry.lastUsedNanos = Math.max(entry.lastUsedNanos, nowNanos);
        return action.apply(entry.value);
    }

    /**
     * Forgets the entries unused since before {@code cutoffNanos}: those whose state would be fresh again. Walks from
     * the entry used longest ago and stops at the first one still in use, so its cost is what it removes.
     */
    public synchronized void forgetUnusedSince(long cutoffNanos) {
        for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().lastUsedNanos - cutoffNanos >= 0) {
                return;
            }
            it.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Entries replaced because the table was full, since it was made. */
    public synchronized long evicted() {
        return evicted;
    }

    public int capacity() {
        return capacity;
    }
}
