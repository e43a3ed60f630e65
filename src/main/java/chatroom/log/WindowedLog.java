package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.List;

/**
 * What the one-node logs share: the newest messages in memory (the window that serves resume and new pages) and
 * the newest id, both guarded by the log's own lock. {@link MemoryLog} and {@link StoredLog} differ only in where
 * an id comes from and whether the message is kept beyond the window.
 */
abstract class WindowedLog implements MessageLog {
    /** Guarded by this. */
    protected final History history;
    /** Guarded by this. */
    protected long lastId;

    WindowedLog(int capacity) {
        this.history = new History(capacity);
    }

    @Override
    public synchronized long lastId() {
        return lastId;
    }

    /** One node: every id given out has been delivered here. */
    @Override
    public synchronized long lastIssuedId() {
        return lastId;
    }

    @Override
    public synchronized Retained retainedAfter(long id) {
        return new Retained(history.oldestId(), history.after(id));
    }

    @Override
    public synchronized List<ChatMessage> newest(int count) {
        return history.newest(count);
    }

    @Override
    public synchronized int retainedCount() {
        return history.size();
    }
}
