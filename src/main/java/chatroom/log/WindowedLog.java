package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.Collection;
import java.util.List;

/**
 * What the one-node logs share: the newest messages of each open room in memory (the windows that serve resume and
 * new pages) and the newest id, all guarded by the log's own lock. {@link MemoryLog} and {@link StoredLog} differ
 * only in where an id comes from and whether a message is kept beyond its window.
 */
abstract class WindowedLog implements MessageLog {
    /** Guarded by this. */
    protected final Windows windows;
    /** Guarded by this: the newest id delivered, in any room. */
    protected long lastId;

    WindowedLog(int capacity) {
        this.windows = new Windows(capacity);
    }

    /** The newest messages of a room as kept beyond memory, oldest first; none when nothing is. */
    abstract List<ChatMessage> load(String room);

    /**
     * Loads outside the lock (a store read), then opens the window with what arrived meanwhile: a message committed
     * after the load is delivered, and added, after it.
     */
    @Override
    public void open(String room) {
        long floor;
        synchronized (this) {
            if (windows.isOpen(room)) {
                return;
            }
            floor = lastId;
            windows.open(room, List.of(), floor); // collects what is delivered while loading
        }
        List<ChatMessage> loaded = load(room);
        synchronized (this) {
            windows.merge(room, loaded, floor);
        }
    }

    @Override
    public synchronized void delete(String room, Collection<Long> ids) {
        windows.remove(room, ids);
    }

    @Override
    public synchronized void forget(String room) {
        windows.forget(room);
    }

    @Override
    public synchronized long lastId() {
        return lastId;
    }

    @Override
    public synchronized long lastId(String room) {
        History window = windows.of(room);
        return window == null ? lastId : window.lastId();
    }

    /** One node: every id given out has been delivered here. */
    @Override
    public synchronized long lastIssuedId() {
        return lastId;
    }

    @Override
    public synchronized Retained retainedAfter(String room, long id) {
        History window = windows.of(room);
        return window == null ? new Retained(lastId, List.of())
                : new Retained(window.completeAfter(), window.after(id));
    }

    @Override
    public synchronized List<ChatMessage> newest(String room, int count) {
        History window = windows.of(room);
        return window == null ? List.of() : window.newest(count);
    }

    @Override
    public synchronized int retainedCount() {
        return windows.size();
    }
}
