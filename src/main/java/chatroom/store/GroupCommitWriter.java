package chatroom.store;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where a message gets its id and is stored: one thread takes every append waiting, gives each new message the
 * next id, and stores the lot in one transaction (group commit). Only then does it hand the messages, in id
 * order, to the listener (the room's fan-out) and complete each appender's future. A message nobody was told about
 * may be lost in a crash; one that anybody saw is stored.
 *
 * <p>The cost of "stored before shown" is one commit per batch, not per message: while one batch commits, the
 * next gathers. Ids continue from the highest stored id, so they keep increasing across restarts. A batch that
 * fails is refused as a whole and its ids are never given out again (a gap, never a reuse: the commit may have
 * succeeded without saying so).
 *
 * <p>A retried message (same sender, same client id, among the last {@code clientIdWindow} such messages) is not
 * stored again: its appender gets the original, marked as a duplicate.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    /** Enough to amortise a commit, small enough that one batch's statement stays quick. */
    static final int MAX_BATCH = 512;
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    /** The stored message an append resulted in: new, or the original of a retried client id. */
    public record Appended(StoredMessage message, boolean duplicate) {
    }

    private record Pending(String room, String sender, String text, String cid, long timestamp, boolean signedIn,
                           CompletableFuture<Appended> done) {
    }

    private final MessageStore store;
    private final Consumer<List<StoredMessage>> onStored;
    private final BlockingQueue<Pending> queue;
    private final int queueCapacity;
    private final ClientIdWindow clientIds;
    private final Thread thread;
    private volatile boolean running = true;
    /** Batches committed; written by the writer thread only. */
    private volatile long commits;
    /** Whether the last batch failed; written by the writer thread only. */
    private volatile boolean failing;
    /** Written by the writer thread only, after the constructor. */
    private long nextId;
    /** The writer's own connection, kept across batches; null until the first and after a failure. */
    private Connection connection;

    private GroupCommitWriter(MessageStore store, long idsAfterAtLeast, int queueCapacity, int clientIdWindow,
                              Consumer<List<StoredMessage>> onStored) throws SQLException {
        this.store = store;
        this.onStored = onStored;
        this.queueCapacity = queueCapacity;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.clientIds = new ClientIdWindow(clientIdWindow);
        this.nextId = Math.max(store.newestId(), idsAfterAtLeast) + 1;
        // A client retrying across a restart is recognised too: the window starts with the newest stored messages.
        store.newest(clientIdWindow).forEach(clientIds::add);
        this.thread = new Thread(this::run, "chat-store-writer");
    }

    /**
     * Starts the writer thread. The first id is the one after the newest stored, and after {@code idsAfterAtLeast}:
     * for an empty store, say, a start time, so that ids never go back even when the store was replaced.
     *
     * @param queueCapacity appends that may wait for the database; beyond it an append is refused at once
     * @param clientIdWindow how many recent client ids are remembered to recognise a retry
     * @param onStored called on the writer thread with the new messages of each batch, in id order, once the batch
     *                 is committed
     */
    public static GroupCommitWriter start(MessageStore store, long idsAfterAtLeast, int queueCapacity,
                                          int clientIdWindow, Consumer<List<StoredMessage>> onStored) {
        GroupCommitWriter writer;
        try {
            writer = new GroupCommitWriter(store, idsAfterAtLeast, queueCapacity, clientIdWindow, onStored);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the newest messages from the store", e);
        }
        writer.thread.start();
        return writer;
    }

    /**
     * Queues a message to be stored, accepted at {@code timestamp} (epoch milliseconds). The future completes on
     * the writer thread once its batch is committed, or fails with {@link StoreUnavailableException} when it was
     * not stored, or at once with an {@link IllegalArgumentException} for text no database here can hold
     * ({@link StorableText}).
     */
    public CompletableFuture<Appended> append(String room, String sender, String text, String cid, long timestamp) {
        return append(room, sender, text, cid, timestamp, false);
    }

    /** The same, for a sender the container signed in ({@code signedIn}) or not. */
    public CompletableFuture<Appended> append(String room, String sender, String text, String cid, long timestamp,
                                              boolean signedIn) {
        if (!running) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is stopped"));
        }
        String unstorable = StorableText.problem(sender, text, cid);
        if (unstorable != null) {
            // Refused alone, here: in a batch it would fail the transaction, and with it everyone else's messages.
            return CompletableFuture.failedFuture(new IllegalArgumentException(unstorable));
        }
        Pending pending = new Pending(room, sender, text, cid, timestamp, signedIn, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "the store is behind: " + queueCapacity + " messages are waiting"));
        }
        // close() may have drained the queue between the check above and the offer: nobody would answer this one.
        if (!running && queue.remove(pending)) {
            pending.done().completeExceptionally(new StoreUnavailableException("the store is stopped"));
        }
        return pending.done();
    }

    /** Transactions committed so far: fewer than the messages stored when appends arrive together. */
    public long commits() {
        return commits;
    }

    /** False while the database refuses writes: since the last batch failed, until one succeeds (for /health). */
    public boolean healthy() {
        return !failing;
    }

    /** Appends waiting for the database right now. */
    public int backlog() {
        return queue.size();
    }

    /** Stores what was already queued, then stops the thread; anything left after the timeout is refused. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            closeConnection();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new StoreUnavailableException("the store is stopped")));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        // After close() the loop goes on until the queue is empty: what was accepted before the stop is stored.
        while (running || !queue.isEmpty()) {
            try {
                // A bounded wait so a stop is noticed; never an interrupt, which would abort a commit midway.
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "store writer failed", e);
                batch.forEach(p -> p.done().completeExceptionally(new StoreUnavailableException("not stored", e)));
            } finally {
                batch.clear();
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the store connection failed: " + e);
            }
            connection = null;
        }
    }

    /**
     * A batch failure as a driver reports it quotes the statement with its values (PostgreSQL's does), and message
     * text is never logged: the cause behind the batch says what went wrong without them.
     */
    private static String withoutMessageText(SQLException e) {
        SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null
                ? e.getNextException() : e;
        return cause instanceof BatchUpdateException
                ? "batch update failed, SQLState " + cause.getSQLState()
                : cause.toString();
    }

    private void write(List<Pending> batch) {
        List<StoredMessage> fresh = new ArrayList<>(batch.size());
        List<Appended> results = new ArrayList<>(batch.size());
        // Retries of a message in this same batch; the window learns the batch only once it is committed.
        Map<String, StoredMessage> batchClientIds = new HashMap<>();
        for (Pending pending : batch) {
            StoredMessage original = clientIds.find(pending.room(), pending.sender(), pending.cid());
            String key = pending.cid() == null ? null
                    : ClientIdWindow.key(pending.room(), pending.sender(), pending.cid());
            if (original == null && key != null) {
                original = batchClientIds.get(key);
            }
            if (original != null) {
                results.add(new Appended(original, true));
                continue;
            }
            StoredMessage message = new StoredMessage(pending.room(), nextId++, pending.sender(), pending.text(),
                    pending.timestamp(), pending.cid(), pending.signedIn());
            fresh.add(message);
            results.add(new Appended(message, false));
            if (key != null) {
                batchClientIds.put(key, message);
            }
        }
        try {
            if (!fresh.isEmpty()) {
                if (connection == null) {
                    connection = store.connection();
                }
                store.insert(connection, fresh);
                commits++;
            }
            failing = false;
        } catch (SQLException e) {
            // The connection may be what failed (database restarted): the next batch opens a new one.
            failing = true;
            closeConnection();
            LOG.log(System.Logger.Level.WARNING, "store write failed; " + batch.size() + " messages refused: "
                    + withoutMessageText(e));
            StoreUnavailableException refusal = new StoreUnavailableException("the message was not stored", e);
            batch.forEach(p -> p.done().completeExceptionally(refusal));
            return;
        }
        fresh.forEach(clientIds::add);
        if (!fresh.isEmpty()) {
            try {
                onStored.accept(fresh);
            } catch (RuntimeException e) {
                // The messages are stored: a failing listener must not refuse them or stop the writer.
                LOG.log(System.Logger.Level.ERROR, "listener failed for stored messages up to " + (nextId - 1), e);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }
}
