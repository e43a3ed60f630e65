package chatroom.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Copies the SQLite write-ahead log back into the database file on a thread of its own. SQLite would otherwise do
 * it inside whichever commit crosses 1,000 pages, and that commit (so every message of its batch) waits for the
 * copy and its fsync: measured as p99 append latency 60-250 ms instead of about 25 ms. A PASSIVE checkpoint never
 * blocks the writer; the writer's connections run with {@code wal_autocheckpoint=0} ({@link EmbeddedDatabase}).
 */
final class WalCheckpoints implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WalCheckpoints.class.getName());
    static final long INTERVAL_MILLIS = 1000;

    private final ScheduledExecutorService executor;
    private final Connection connection;

    private WalCheckpoints(Connection connection) {
        this.connection = connection;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "chat-store-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
    }

    static WalCheckpoints start(DataSource dataSource) {
        try {
            WalCheckpoints checkpoints = new WalCheckpoints(dataSource.getConnection());
            checkpoints.executor.scheduleWithFixedDelay(checkpoints::checkpoint, INTERVAL_MILLIS, INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            return checkpoints;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot open the embedded database for checkpoints", e);
        }
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // The next round tries again; an exception escaping here would cancel every later checkpoint.
            LOG.log(System.Logger.Level.WARNING, "WAL checkpoint failed: " + e);
        }
    }

    /** Stops the checkpoints; the last connection to close checkpoints what is left. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the checkpoint connection failed: " + e);
        }
    }
}
