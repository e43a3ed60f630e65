package chatroom.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A daemon thread running a loop until stopped, whose pauses end at once when it is stopped. */
public final class Worker {
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    public Worker(String name, Runnable loop) {
        this.thread = new Thread(loop, name);
        thread.setDaemon(true);
    }

    /**
     * How often a node refreshes what expires after {@code ttlMillis}: a few times per period, at most once a second.
     */
    public static long heartbeatMillis(long ttlMillis) {
        return Math.max(200, Math.min(1000, ttlMillis / 3));
    }

    public void start() {
        thread.start();
    }

    /** What the loop checks before each round. */
    public boolean running() {
        return running;
    }

    /** Waits, but wakes at once when stopped. */
    public void pause(long millis) {
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Asks the loop to end and waits up to {@code joinMillis} for it. */
    public void stop(long joinMillis) {
        running = false;
        stopped.countDown();
        try {
            thread.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
