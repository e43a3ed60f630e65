package chatroom.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helper threads of one test. A failure on any of them is kept (the first, later ones suppressed into it) and
 * rethrown on the test thread by {@link #awaitAll} or, if the test failed first, by {@link #close}, which also
 * interrupts whatever is still running.
 */
public final class BackgroundTasks implements AutoCloseable {
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Set once the failure was thrown, so close() does not throw it again (self-suppression is illegal). */
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean closing;

    public void start(String name, Task task) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                if (!closing) {
                    record(t);
                }
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Waits for every task, at most {@code wait} in all, and rethrows the first failure. */
    public void awaitAll(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                record(new AssertionError(thread.getName() + " still running after " + wait));
            }
        }
        rethrow();
    }

    /** Throws the first failure of a task, if there was one and it was not thrown yet. */
    public void rethrow() {
        Throwable first = failure.get();
        if (first != null && reported.compareAndSet(false, true)) {
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (first instanceof Error error) {
                throw error;
            }
            throw new AssertionError(first);
        }
    }

    @Override
    public void close() {
        Throwable before = failure.get();
        closing = true;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        try {
            for (Thread thread : threads) {
                thread.join(ChatClient.WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (before != null) {
            rethrow();
        }
    }

    private void record(Throwable t) {
        if (!failure.compareAndSet(null, t) && failure.get() != t) {
            failure.get().addSuppressed(t);
        }
    }
}
