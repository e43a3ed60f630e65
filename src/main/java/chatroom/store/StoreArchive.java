package chatroom.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Copies messages another log has already accepted (with several nodes, Redis gives the ids) into the store, on a
 * thread of its own, so scrollback reaches back further than the live log keeps.
 *
 * <p>Every node archives every message it delivers: the store keeps one row per id however many nodes insert it
 * ({@link MessageStore#insertIfAbsent}), and a message is missing only if every node stops before any of them
 * stored it (then the next node to start copies it, since a node delivers what the live log still holds). A database
 * that refuses writes is retried with a growing pause while new messages wait, up to {@code capacity} of them;
 * beyond that the oldest waiting are dropped with a warning naming their ids: the live log is never held up.
 */
public final class StoreArchive implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoreArchive.class.getName());
    private static final int MAX_BATCH = 1000;
    private static final long MAX_PAUSE_MILLIS = 2000;

    private final MessageStore store;
    private final BlockingQueue<StoredMessage> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** Highest id this archive stored; written by its thread only. */
    private volatile long archivedUpTo;

    private StoreArchive(MessageStore store, int capacity) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "chat-store-archive");
    }

    public static StoreArchive start(MessageStore store, int capacity) {
        StoreArchive archive = new StoreArchive(store, capacity);
        archive.thread.start();
        return archive;
    }

    /** Queues delivered messages for the store; never blocks. */
    public void offer(List<StoredMessage> messages) {
        for (StoredMessage message : messages) {
            while (!queue.offer(message)) {
                StoredMessage dropped = queue.poll();
                if (dropped != null) {
                    LOG.log(System.Logger.Level.WARNING, "store archive full: message " + dropped.id()
                            + " is not archived by this node");
                }
            }
        }
    }

    /** The highest id this node has stored (0 before the first). */
    public long archivedUpTo() {
        return archivedUpTo;
    }

    /** Stores what is queued (bounded by a timeout), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<StoredMessage> batch = new ArrayList<>(MAX_BATCH);
        long pauseMillis = 0;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    StoredMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                if (pauseMillis > 0) {
                    if (!running) {
                        LOG.log(System.Logger.Level.WARNING, "stopping with " + (batch.size() + queue.size())
                                + " messages not archived by this node");
                        return;
                    }
                    Thread.sleep(pauseMillis); // a back-off between attempts, not a wait for an event
                }
                store.insertIfAbsent(batch);
                archivedUpTo = Math.max(archivedUpTo, batch.get(batch.size() - 1).id());
                batch.clear();
                pauseMillis = 0;
            } catch (SQLException e) {
                pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(100, pauseMillis * 2));
                LOG.log(System.Logger.Level.WARNING, "archive write failed, retrying in " + pauseMillis + " ms: "
                        + e.getClass().getSimpleName() + " " + e.getSQLState());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
