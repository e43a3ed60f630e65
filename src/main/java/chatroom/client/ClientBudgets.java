package chatroom.client;

import java.util.concurrent.TimeUnit;

/**
 * Message budgets that follow the client, not the socket: one token bucket per client ({@link ClientKey}) shared by
 * all its connections, and one per nickname shared by all its tabs (guests are one connection each, so their own
 * connection's bucket is theirs). A message passes only if both have a token. Buckets are made on first use and
 * dropped once idle long enough to be full again, so memory follows the clients active in the last few seconds;
 * and at most {@link #MAX_BUCKETS} are kept ({@link ClientTable}): past that the bucket used longest ago starts
 * afresh, which gives its client a new burst and refuses nobody. Any thread may call.
 */
public final class ClientBudgets {
    /** Buckets kept at once, by client and by nickname together (about 200 bytes each). */
    static final int MAX_BUCKETS = 100_000;

    private final int addressRate;
    private final int addressBurst;
    private final int nameRate;
    private final int nameBurst;
    /** A bucket unused this long is full again (and its abuse meter empty): forgetting it changes nothing. */
    private final long idleNanos;
    private final ClientTable<RateLimiter> buckets;

    public ClientBudgets(int addressRate, int addressBurst, int nameRate, int nameBurst) {
        this(addressRate, addressBurst, nameRate, nameBurst, MAX_BUCKETS);
    }

    ClientBudgets(int addressRate, int addressBurst, int nameRate, int nameBurst, int maxBuckets) {
        this.addressRate = addressRate;
        this.addressBurst = addressBurst;
        this.nameRate = nameRate;
        this.nameBurst = nameBurst;
        long refillSeconds = Math.max((addressBurst + addressRate - 1) / addressRate,
                (nameBurst + nameRate - 1) / nameRate);
        // The abuse meter drains in at most 15 s (RateLimiter): past both, a bucket is as good as new.
        this.idleNanos = TimeUnit.SECONDS.toNanos(Math.max(refillSeconds, 15) + 1);
        this.buckets = new ClientTable<>(maxBuckets);
    }

    /**
     * Takes one message from the budgets of {@code client} (its key; null: unknown, no client budget) and of
     * {@code name} (null for a guest). False when either is spent. The nickname is asked first, so a person over
     * their own budget does not drain the budget they share with everyone behind the same address.
     */
    public boolean take(String client, String name, long nowNanos) {
        if (name != null && !take("n:" + name, nameRate, nameBurst, nowNanos)) {
            return false;
        }
        return client == null || take("a:" + client, addressRate, addressBurst, nowNanos);
    }

    private boolean take(String key, int rate, int burst, long nowNanos) {
        return buckets.apply(key, nowNanos, () -> new RateLimiter(rate, burst, nowNanos),
                limiter -> limiter.acquire(nowNanos) == RateLimiter.Verdict.ACCEPT);
    }

    /** Forgets the buckets nobody used for a while (housekeeping, once a second). */
    public void evictIdle(long nowNanos) {
        buckets.forgetUnusedSince(nowNanos - idleNanos);
    }

    int size() {
        return buckets.size();
    }
}
