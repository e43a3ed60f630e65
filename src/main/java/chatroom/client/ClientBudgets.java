package chatroom.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Message budgets that follow the client, not the socket: one token bucket per client address shared by all its
 * connections, and one per nickname shared by all its tabs (guests are one connection each, so their own
 * connection's bucket is theirs). A message passes only if both have a token. Buckets are made on first use and
 * dropped once idle long enough to be full again, so memory follows the clients active in the last few seconds.
 * Any thread may call; each bucket is used under its own monitor.
 */
public final class ClientBudgets {
    private final int addressRate;
    private final int addressBurst;
    private final int nameRate;
    private final int nameBurst;
    /** A bucket unused this long is full again (and its abuse meter empty): forgetting it changes nothing. */
    private final long idleNanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        final RateLimiter limiter;
        volatile long lastUsedNanos;

        Bucket(RateLimiter limiter, long nowNanos) {
            this.limiter = limiter;
            this.lastUsedNanos = nowNanos;
        }

        public synchronized boolean take(long nowNanos) {
            lastUsedNanos = nowNanos;
            return limiter.acquire(nowNanos) == RateLimiter.Verdict.ACCEPT;
        }
    }

    public ClientBudgets(int addressRate, int addressBurst, int nameRate, int nameBurst) {
        this.addressRate = addressRate;
        this.addressBurst = addressBurst;
        this.nameRate = nameRate;
        this.nameBurst = nameBurst;
        long refillSeconds = Math.max((addressBurst + addressRate - 1) / addressRate, (nameBurst + nameRate - 1) / nameRate);
        // The abuse meter drains in at most 15 s (RateLimiter): past both, a bucket is as good as new.
        this.idleNanos = TimeUnit.SECONDS.toNanos(Math.max(refillSeconds, 15) + 1);
    }

    /**
     * Takes one message from the budgets of {@code address} (null: unknown, no address budget) and of
     * {@code name} (null for a guest). False when either is spent. The nickname is asked first, so a person over
     * their own budget does not drain the budget they share with everyone behind the same address.
     */
    public boolean take(String address, String name, long nowNanos) {
        Bucket byAddress = address == null ? null : bucket("a:" + address, addressRate, addressBurst, nowNanos);
        Bucket byName = name == null ? null : bucket("n:" + name, nameRate, nameBurst, nowNanos);
        if (byName != null && !byName.take(nowNanos)) {
            return false;
        }
        return byAddress == null || byAddress.take(nowNanos);
    }

    private Bucket bucket(String key, int rate, int burst, long nowNanos) {
        return buckets.computeIfAbsent(key, k -> new Bucket(new RateLimiter(rate, burst, nowNanos), nowNanos));
    }

    /** Forgets the buckets nobody used for a while (housekeeping, once a second). */
    public void evictIdle(long nowNanos) {
        buckets.values().removeIf(bucket -> nowNanos - bucket.lastUsedNanos > idleNanos);
    }

    int size() {
        return buckets.size();
    }
}
