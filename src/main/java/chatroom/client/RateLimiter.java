package chatroom.client;

/**
 * A per-connection token bucket ({@code rate} per second, up to {@code burst} at once) plus an abuse meter.
 *
 * <p>Each refused message adds one to the meter, which drains at the allowed rate. A client that sends at twice
 * the rate or less never fills it; at five times the rate it passes {@code 15 x rate} after about five seconds
 * (refusals grow it by 4 x rate per second, draining takes 1 x rate) and the connection is closed.
 * Not thread-safe: only the container's reading thread for one session calls this, one message at a time (or
 * the caller synchronises).
 */
public final class RateLimiter {
    public enum Verdict { ACCEPT, REFUSE, ABUSE }

    private static final double NANOS_PER_SECOND = 1e9;

    private final double perNano;
    private final double burst;
    private final double abuseLimit;
    private double tokens;
    private double abuse;
    private long lastNanos;

    /** {@code ratePerSecond} may be a fraction: 10 a minute is 1/6. */
    public RateLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.perNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.abuseLimit = 15.0 * ratePerSecond;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    public Verdict acquire(long nowNanos) {
        // Callers on several threads may read the clock in one order and get here in another: time never runs back.
        double refill = Math.max(0, nowNanos - lastNanos) * perNano;
        lastNanos = Math.max(lastNanos, nowNanos);
        tokens = Math.min(burst, tokens + refill);
        abuse = Math.max(0, abuse - refill);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        abuse += 1;
        return abuse > abuseLimit ? Verdict.ABUSE : Verdict.REFUSE;
    }
}
