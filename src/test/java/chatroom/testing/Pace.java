package chatroom.testing;

import java.util.concurrent.TimeUnit;

/** Pacing a sender loop at a rate, or letting a timeout pass: waiting for time itself, not for an event. */
public final class Pace {
    private Pace() {
    }

    /** Returns at {@code untilNanos} on {@link System#nanoTime()}'s clock (at once if that has passed). */
    public static void until(long untilNanos) throws InterruptedException {
        long left = untilNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
