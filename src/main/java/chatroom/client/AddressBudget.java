package chatroom.client;

import java.util.function.LongSupplier;

/**
 * One token bucket per client ({@link ClientKey}: an address or an IPv6 prefix; a {@link RateLimiter} each), for
 * actions that cost the server something that outlives the request, such as claiming a nickname (it creates an
 * HttpSession that lives for half an hour). Every attempt costs its client a token, a refused one included.
 *
 * <p>Memory is bounded twice over, and neither bound refuses anyone. A client idle for as long as its bucket takes
 * to refill completely is forgotten: a new bucket for it would be exactly the same. And at most
 * {@code maxClients} are tracked at once ({@link ClientTable}): past that, the one that acted longest ago is
 * forgotten early and starts afresh, so however many addresses act together, a newcomer's first claim is judged
 * by its own bucket alone.
 */
public final class AddressBudget {
    private final double perSecond;
    private final int burst;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final ClientTable<RateLimiter> buckets;

    public AddressBudget(double perSecond, int burst, int maxClients, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.idleNanos = (long) Math.ceil(burst / perSecond * 1e9);
        this.nanoClock = nanoClock;
        this.buckets = new ClientTable<>(maxClients);
    }

    /** Takes one token from this client's bucket; false when it has none left. */
    public boolean tryAcquire(String client) {
        long now = nanoClock.getAsLong();
        buckets.forgetUnusedSince(now - idleNanos);
        return buckets.apply(client, now, () -> new RateLimiter(perSecond, burst, now),
                limiter -> limiter.acquire(now) == RateLimiter.Verdict.ACCEPT);
    }

    /** How many clients are tracked now. */
    int size() {
        return buckets.size();
    }
}
