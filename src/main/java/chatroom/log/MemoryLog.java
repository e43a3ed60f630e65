package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One node without a store: ids from a counter, the last N messages of each open room in memory, and the listener
 * called inside {@link #append}, under this log's lock, so messages reach the rooms in id order whichever thread
 * appends. A room that leaves memory leaves its history behind, as a restart does.
 */
public final class MemoryLog extends WindowedLog {
    private Listener listener;

    /** @param idsAfter the first message gets the next id */
    public MemoryLog(int capacity, long idsAfter) {
        super(capacity);
        this.lastId = idsAfter;
    }

    /**
     * A log whose first id is the current time in microseconds. A restarted node has lost its history, and its ids
     * must still be larger than any id of the node before it, or a page resuming with an old id would take the new
     * node's first messages for ones it has already shown. (Holds below a million messages a second.)
     */
    public static MemoryLog startingNow(int capacity) {
        return new MemoryLog(capacity, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Appended> append(Draft draft) {
        Appended outcome;
        Listener receiver;
        synchronized (this) {
            receiver = listener;
            History window = windows.of(draft.room());
            ChatMessage original = draft.cid() == null || window == null
                    ? null : window.findByClientId(draft.from(), draft.cid());
            if (original != null) {
                outcome = new Duplicate(original);
            } else {
                ChatMessage message = ChatMessage.create(draft.room(), lastId + 1, draft.from(), draft.text(),
                        draft.timestamp(), draft.cid(), draft.signedIn());
                lastId = message.id();
                windows.add(message);
                receiver.deliver(List.of(message)); // under the lock: the next append waits, so ids arrive in order
                outcome = new Stored(message.id());
            }
        }
        receiver.flush();
        return CompletableFuture.completedFuture(outcome);
    }

    /** Nothing is kept beyond memory. */
    @Override
    List<ChatMessage> load(String room) {
        return List.of();
    }

    @Override
    public Map<String, String> health() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
