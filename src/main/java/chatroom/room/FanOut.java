package chatroom.room;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the sends of what a log delivered: on the delivering thread ({@link #inline()}, for the in-memory log,
 * whose listener runs on the sender's container thread, so the senders share the sending), or on threads of its
 * own with the members split between them ({@link #threads}, for a log that delivers from one thread of its own,
 * the store's writer or the Redis reader, which would otherwise send alone: about one core at 100,000 deliveries a
 * second, with the next batch waiting behind it).
 */
public final class FanOut implements AutoCloseable {
    /**
     * Two per core: on Tomcat every completed send is handed to the container's pool, whose threads then outnumber
     * these ones for the cores: there the store's p99 was 1.3x memory's with two threads in all, 1.0-1.3x with four
     * (medians of 5 on 2 cores, docs/BENCHMARKS.md). At most 8: a batch is split into that many tasks.
     */
    static final int THREADS = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));

    /** Starts the sends of one share of the members, of {@code shares}. */
    interface Shares {
        void send(int share, int shares);
    }

    private final ExecutorService threads;
    /** Per share: a flush is queued and has not started yet, so another batch need not queue one. */
    private final AtomicBoolean[] flushQueued;

    private FanOut(ExecutorService threads, int shares) {
        this.threads = threads;
        this.flushQueued = new AtomicBoolean[shares];
        for (int share = 0; share < shares; share++) {
            flushQueued[share] = new AtomicBoolean();
        }
    }

    public static FanOut inline() {
        return new FanOut(null, 0);
    }

    public static FanOut threads(String threadName) {
        return new FanOut(Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        }), THREADS);
    }

    /** How many shares the members are split into: one when sending inline. */
    int shares() {
        return Math.max(1, flushQueued.length);
    }

    /** Each share's sends start, unless a flush of that share is already waiting. */
    void flush(Shares sends) {
        if (threads == null) {
            sends.send(0, 1);
            return;
        }
        for (int share = 0; share < flushQueued.length; share++) {
            int mine = share;
            if (flushQueued[mine].compareAndSet(false, true)) {
                try {
                    threads.execute(() -> {
                        flushQueued[mine].set(false); // before sending: a batch delivered from now on queues another
                        sends.send(mine, flushQueued.length);
                    });
                } catch (RejectedExecutionException closed) {
                    return; // the room shut down: every member is gone, nothing to send
                }
            }
        }
    }

    /**
     * The flushes already queued still start; waits a bounded time for the threads to end, since a webapp's thread
     * alive after its undeploy keeps the webapp's class loader (and Tomcat reports it as a leak).
     */
    @Override
    public void close() {
        if (threads != null) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                threads.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
