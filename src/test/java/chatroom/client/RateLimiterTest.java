package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Test;

/** Time is passed in, so these run on a synthetic clock: exact and instant. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAllowedThenTheRate() {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        for (int i = 0; i < 40; i++) {
            assertEquals(RateLimiter.Verdict.ACCEPT, limiter.acquire(0));
        }
        assertEquals(RateLimiter.Verdict.REFUSE, limiter.acquire(0));
        assertEquals(RateLimiter.Verdict.ACCEPT, limiter.acquire(SECOND / 20));
    }

    @Test
    void twiceTheRateIsRefusedInPartButNeverClosed() {
        assertEquals(-1, secondsUntilAbuse(40, 120));
    }

    @Test
    void fiveTimesTheRateIsClosedAfterAboutFiveSeconds() {
        double seconds = secondsUntilAbuse(100, 60);
        assertTrue(seconds > 4 && seconds < 6.5, "closed after " + seconds + " s");
    }

    /** Sends at a steady rate against a 20/s, burst 40 limiter; seconds until ABUSE, or -1. */
    private static double secondsUntilAbuse(int perSecond, int forSeconds) {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        for (long i = 0; i < (long) perSecond * forSeconds; i++) {
            long now = i * SECOND / perSecond;
            if (limiter.acquire(now) == RateLimiter.Verdict.ABUSE) {
                return now / (double) SECOND;
            }
        }
        return -1;
    }
}
