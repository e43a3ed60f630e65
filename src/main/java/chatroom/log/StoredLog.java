package chatroom.log;

import chatroom.store.GroupCommitWriter;
import chatroom.store.MessageStore;
import chatroom.store.StoreSpace;
import chatroom.store.StoreUnavailableException;
import chatroom.store.StoredMessage;
import chatroom.wire.ChatMessage;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One node whose history outlives it: the store's group-commit writer gives each message its id and commits it
 * (the SQLite file, or the container's PostgreSQL) before the listener hears of it, so nothing anyone saw is
 * missing after a restart or a kill -9. The newest N of each open room stay in memory, as in {@link MemoryLog}, and
 * serve resume and new pages; a room opening (after a restart, or after it left memory) reads them back from the
 * store, so a page resuming from before gets exactly what it missed, with no reset.
 */
public final class StoredLog extends WindowedLog {
    /** Appends that may wait for the database; beyond this a sender is told "unavailable" at once. */
    static final int QUEUE_CAPACITY = 10_000;

    private final MessageStore store;
    private final int capacity;
    private final long idsAfterAtLeast;
    private final StoreSpace space;
    private Listener listener;
    private GroupCommitWriter writer;

    /**
     * @param idsAfterAtLeast the first id is above it and above the newest stored
     */
    public StoredLog(MessageStore store, int capacity, long idsAfterAtLeast) {
        this(store, capacity, idsAfterAtLeast, StoreSpace.UNWATCHED);
    }

    /** @param space asked before each append: while it is short, appends are refused and nothing is written */
    public StoredLog(MessageStore store, int capacity, long idsAfterAtLeast, StoreSpace space) {
        super(capacity);
        this.store = store;
        this.capacity = capacity;
        this.idsAfterAtLeast = idsAfterAtLeast;
        this.space = space;
        try {
            this.lastId = Math.max(store.newestId(), idsAfterAtLeast);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the newest id from the store", e);
        }
    }

    /**
     * Ids continue from the newest stored one; only an empty store (a first start, or one wiped) starts after the
     * current time in microseconds, as {@link MemoryLog#startingNow} does, so ids never go back below what pages
     * have shown.
     */
    public static StoredLog startingNow(MessageStore store, int capacity, StoreSpace space) {
        long newest;
        try {
            newest = store.newestId();
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the newest id from the store", e);
        }
        return new StoredLog(store, capacity, newest == 0
                ? TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) : 0,
                space);
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
        this.writer = GroupCommitWriter.start(store, idsAfterAtLeast, QUEUE_CAPACITY, capacity, this::stored);
    }

    /** On the writer thread, in id order, once the batch is committed. */
    private void stored(List<StoredMessage> batch) {
        List<ChatMessage> messages = batch.stream().map(StoredLog::message).toList();
        Listener receiver;
        synchronized (this) {
            receiver = listener;
            messages.forEach(windows::add);
            lastId = messages.get(messages.size() - 1).id();
            receiver.deliver(messages);
        }
        receiver.flush();
    }

    @Override
    public CompletionStage<Appended> append(Draft draft) {
        String shortage = space.shortage();
        if (shortage != null) {
            return CompletableFuture.completedFuture(new Unavailable(shortage));
        }
        return writer.append(draft.room(), draft.from(), draft.text(), draft.cid(), draft.timestamp(), draft.signedIn())
                .handle((appended, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                return new Unavailable(cause.getMessage());
            }
            if (!appended.duplicate()) {
                return new Stored(appended.message().id());
            }
            ChatMessage original;
            synchronized (this) {
                History window = windows.of(draft.room());
                original = window == null ? null : window.byId(appended.message().id());
            }
            return new Duplicate(original != null ? original : message(appended.message()));
        });
    }

    @Override
    List<ChatMessage> load(String room) {
        try {
            return store.newest(room, capacity).stream().map(StoredLog::message).toList();
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the newest messages of " + room + " from the store", e);
        }
    }

    @Override
    public Map<String, String> health() {
        String shortage = space.shortage();
        if (shortage != null) {
            return Map.of("store", "full", "storeProblem", shortage);
        }
        return Map.of("store", writer != null && writer.healthy() ? "up" : "down");
    }

    /** Stores what was already appended (its senders hear of it), then stops the writer. */
    @Override
    public void close() {
        GroupCommitWriter stopping;
        synchronized (this) {
            stopping = writer;
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    private static ChatMessage message(StoredMessage m) {
        return ChatMessage.create(m.room(), m.id(), m.sender(), m.text(), m.timestamp(), m.cid(), m.signedIn());
    }
}
