package chatroom.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.log.MessageLog.Appended;
import chatroom.log.MessageLog.Draft;
import chatroom.log.MessageLog.Duplicate;
import chatroom.log.MessageLog.Stored;
import chatroom.log.MessageLog.Unavailable;
import chatroom.store.EmbeddedDatabase;
import chatroom.store.MessageStore;
import chatroom.wire.ChatMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log contract on the durable store (an SQLite file), and what only a durable log does: outlive itself. */
class StoredLogTest extends MessageLogContract {
    @TempDir
    Path temp;
    private int stores;
    private final List<MessageLog> opened = new ArrayList<>();

    @Override
    MessageLog create(int capacity) {
        return new StoredLog(MessageStore.open(EmbeddedDatabase.in(temp.resolve("db" + stores++))), capacity, 1000);
    }

    @AfterEach
    void closeOpened() {
        opened.forEach(MessageLog::close);
    }

    private StoredLog open(Path dir, Recorder listener) {
        StoredLog log = new StoredLog(MessageStore.open(EmbeddedDatabase.in(dir)), 10, 1000);
        log.start(listener);
        log.open("general");
        opened.add(log);
        return log;
    }

    private static Appended append(MessageLog log, String text, String cid) throws Exception {
        return log.append(new Draft("general", "alice", text, cid, 1_764_201_600_000L)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRestartedLogRetainsItsMessagesContinuesItsIdsAndRecognisesRetries() throws Exception {
        Path dir = temp.resolve("restart");
        StoredLog first = open(dir, new Recorder());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(assertInstanceOf(Stored.class, append(first, "m" + i, "c-" + i)).id());
        }
        assertEquals(1001, ids.get(0), "an empty store starts after the floor");
        first.close();

        StoredLog second = open(dir, new Recorder());
        assertEquals(ids.get(4), second.lastId());
        assertEquals(ids.subList(2, 5), second.retainedAfter("general", ids.get(1)).messages().stream()
                .map(ChatMessage::id).toList());
        assertEquals(ids.get(0) - 1, second.retainedAfter("general", 0).completeAfter(),
                "nothing was lost: no reset for a resume");
        Duplicate retry = assertInstanceOf(Duplicate.class, append(second, "m3", "c-3"));
        assertEquals(ids.get(3), retry.original().id());
        assertEquals(ids.get(4) + 1, assertInstanceOf(Stored.class, append(second, "m5", null)).id());
    }

    @Test
    void theListenerHearsOfAMessageOnlyOnceItIsStored() throws Exception {
        Path dir = temp.resolve("stored-first");
        MessageStore reader = MessageStore.open(EmbeddedDatabase.in(dir));
        List<Boolean> storedWhenHeard = new ArrayList<>();
        StoredLog log = new StoredLog(MessageStore.open(EmbeddedDatabase.in(dir)), 10, 1000);
        opened.add(log);
        log.start(new MessageLog.Listener() {
            @Override
            public void deliver(List<ChatMessage> messages) {
                try {
                    storedWhenHeard.add(reader.after(messages.get(0).id() - 1, 1).size() == 1);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void flush() {
            }
        });
        append(log, "durable", null);
        assertEquals(List.of(true), storedWhenHeard);
        assertEquals(Map.of("store", "up"), log.health());
    }

    @Test
    void textTheStoreCannotHoldIsUnavailableAndOthersAreNotHeldUp() throws Exception {
        StoredLog log = open(temp.resolve("unstorable"), new Recorder());
        Unavailable refused = assertInstanceOf(Unavailable.class, append(log, "nul\u0000here", null));
        assertTrue(refused.why().contains("U+0000"), refused.why());
        assertInstanceOf(Stored.class, append(log, "fine", null));
    }
}
