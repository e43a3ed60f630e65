package chatroom.store;

import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what the retention no longer keeps, on a background thread of its own so a long first purge never delays
 * a message. Time comes from the injected clock, so a test decides what "too old" means.
 */
public final class RetentionPurge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RetentionPurge.class.getName());

    private final MessageStore store;
    private final Retention retention;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public RetentionPurge(MessageStore store, Retention retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** One purge now; returns the messages deleted. */
    public long purgeNow() throws SQLException {
        long deleted = store.purge(retention, clock.millis());
        if (deleted > 0) {
            LOG.log(System.Logger.Level.INFO, "retention purge deleted {0} messages", deleted);
        }
        return deleted;
    }

    /** Purges now and then every {@code intervalMillis}; does nothing when the retention keeps everything. */
    public synchronized void start(long intervalMillis) {
        if (retention.keepsEverything() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "chat-store-purge");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::purgeQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            // Let a purge under way finish its chunk rather than cut it off while the DataSource is still there.
            executor.shutdown();
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    private void purgeQuietly() {
        try {
            purgeNow();
        } catch (SQLException | RuntimeException e) {
            // The next round tries again; an exception escaping here would cancel every later purge.
            LOG.log(System.Logger.Level.WARNING, "retention purge failed: " + e);
        }
    }
}
