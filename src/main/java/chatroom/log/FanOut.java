package chatroom.log;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the sends of delivered messages on threads of its own, the members split between them. The in-memory log
 * fans a message out on the thread that received it, so the senders' container threads share the sending; a log
 * that delivers from one thread of its own (the store's writer, the Redis reader) would otherwise send alone: about
 * one core at 100,000 deliveries a second, with the next batch waiting behind it.
 */
final class FanOut {
    /**
     * Two per core: on Tomcat every completed send is handed to the container's pool, whose threads then outnumber
     * these ones for the cores: there the store's p99 was 1.3x memory's with two threads in all, 1.0-1.3x with four
     * (medians of 5 on 2 cores, docs/BENCHMARKS.md). At most 8: a batch is split into that many tasks.
     */
    static final int THREADS = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));

    private final ExecutorService threads;
    /** Per share: a flush is queued and has not started yet, so another batch need not queue one. */
    private final AtomicBoolean[] flushQueued = new AtomicBoolean[THREADS];

    FanOut(String threadName) {
        threads = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        for (int share = 0; share < THREADS; share++) {
            flushQueued[share] = new AtomicBoolean();
        }
    }

    /** Call after {@link MessageLog.Listener#deliver}: each share's flush starts, unless one is already waiting. */
    void flush(MessageLog.Listener listener) {
        for (int share = 0; share < THREADS; share++) {
            int mine = share;
            if (flushQueued[mine].compareAndSet(false, true)) {
                threads.execute(() -> {
                    flushQueued[mine].set(false); // before sending: a batch delivered from now on queues another
                    listener.flush(mine, THREADS);
                });
            }
        }
    }

    /** The flushes already queued still start. */
    void close() {
        threads.shutdown();
    }
}
