package chatroom.log;

import chatroom.store.StoreArchive;
import chatroom.store.StoredMessage;
import chatroom.wire.ChatMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Several nodes with a store: the live log (Redis) gives ids and delivers, and every message this node delivers is
 * also copied into the store ({@link StoreArchive}), where a shared PostgreSQL keeps it once whichever node wrote
 * it. The store serves scrollback beyond what the live log retains; the live log still serves resume.
 */
public final class ArchivedLog implements MessageLog {
    private final MessageLog live;
    private final StoreArchive archive;

    public ArchivedLog(MessageLog live, StoreArchive archive) {
        this.live = live;
        this.archive = archive;
    }

    @Override
    public void start(Listener listener) {
        live.start(new Listener() {
            @Override
            public void deliver(List<ChatMessage> messages) {
                archive.offer(stored(messages)); // never blocks: the archive has its own thread
                listener.deliver(messages);
            }

            @Override
            public void flush() {
                listener.flush();
            }
        });
    }

    @Override
    public CompletionStage<Appended> append(Draft draft) {
        return live.append(draft);
    }

    @Override
    public long lastId() {
        return live.lastId();
    }

    @Override
    public long lastIssuedId() {
        return live.lastIssuedId();
    }

    @Override
    public void open(String room) {
        live.open(room);
    }

    @Override
    public void delete(String room, Collection<Long> ids) {
        live.delete(room, ids);
    }

    @Override
    public void forget(String room) {
        live.forget(room);
    }

    @Override
    public long lastId(String room) {
        return live.lastId(room);
    }

    @Override
    public Retained retainedAfter(String room, long id) {
        return live.retainedAfter(room, id);
    }

    @Override
    public List<ChatMessage> newest(String room, int count) {
        return live.newest(room, count);
    }

    @Override
    public int retainedCount() {
        return live.retainedCount();
    }

    @Override
    public Map<String, String> health() {
        return live.health();
    }

    /** The live log first, so nothing new reaches the archive; then the archive stores what it has queued. */
    @Override
    public void close() {
        live.close();
        archive.close();
    }

    private static List<StoredMessage> stored(List<ChatMessage> messages) {
        return messages.stream()
                .map(m -> new StoredMessage(m.room(), m.id(), m.from(), m.text(), m.timestamp(), m.cid(),
                        m.signedIn()))
                .toList();
    }
}
