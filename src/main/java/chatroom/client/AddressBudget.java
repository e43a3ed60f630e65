package chatroom.client;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client address (a {@link RateLimiter} each), for actions that cost the server something
 * that outlives the request, such as claiming a nickname (it creates an HttpSession that lives for half an hour).
 *
 * <p>Memory is bounded twice over. An address idle for as long as its bucket takes to refill completely is
 * forgotten: a new bucket for it would be exactly the same. And at most {@code maxAddresses} are tracked at
 * once; when that many addresses have all acted within one refill period (many addresses acting together), a
 * new address is refused until older ones go idle, while the addresses already known keep their budgets.
 */
public final class AddressBudget {
    private static final class Bucket {
        final RateLimiter limiter;
        long lastNanos;

        Bucket(RateLimiter limiter, long lastNanos) {
            this.limiter = limiter;
            this.lastNanos = lastNanos;
        }
    }

    private final double perSecond;
    private final int burst;
    private final int maxAddresses;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweepNanos;

    public AddressBudget(double perSecond, int burst, int maxAddresses, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxAddresses = maxAddresses;
        this.idleNanos = (long) Math.ceil(burst / perSecond * 1e9);
        this.nanoClock = nanoClock;
        this.lastSweepNanos = nanoClock.getAsLong();
    }

    /** Takes one token from this address's bucket; false when it has none left (or too many addresses act). */
    public boolean tryAcquire(String address) {
        long now = nanoClock.getAsLong();
        if (now - lastSweepNanos > idleNanos || buckets.size() >= maxAddresses) {
            forgetIdle(now);
        }
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            if (buckets.size() >= maxAddresses) {
                return false;
            }
            bucket = buckets.computeIfAbsent(address, a -> new Bucket(new RateLimiter(perSecond, burst, now), now));
        }
        synchronized (bucket) {
            long at = Math.max(bucket.lastNanos, nanoClock.getAsLong());
            bucket.lastNanos = at;
            return bucket.limiter.acquire(at) == RateLimiter.Verdict.ACCEPT;
        }
    }

    /** How many addresses are tracked now. */
    int size() {
        return buckets.size();
    }

    private void forgetIdle(long now) {
        lastSweepNanos = now;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            synchronized (bucket) {
                if (now - bucket.lastNanos >= idleNanos) {
                    it.remove();
                }
            }
        }
    }
}
