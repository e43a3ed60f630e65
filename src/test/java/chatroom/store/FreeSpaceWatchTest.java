package chatroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.ChatSettings;
import chatroom.log.MessageLog;
import chatroom.log.StoredLog;
import chatroom.wire.ChatMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch on the store's volume, with the usable space told by the test; and a log that obeys it. */
class FreeSpaceWatchTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shortBelowTheThresholdAndBackWhenSpaceReturns() {
        AtomicLong usable = new AtomicLong(10 * MIB);
        FreeSpaceWatch watch = new FreeSpaceWatch("/data", 5 * MIB, usable::get);
        watch.check();
        assertNull(watch.shortage());
        usable.set(5 * MIB - 1);
        assertNull(watch.shortage(), "only a check reads the volume");
        watch.check();
        assertTrue(watch.shortage().contains("/data") && watch.shortage().contains("chat.store.minFreeBytes"),
                watch.shortage());
        usable.set(6 * MIB);
        watch.check();
        assertNull(watch.shortage(), "recovers by itself");
    }

    @Test
    void zeroWatchesNothing() {
        FreeSpaceWatch watch = new FreeSpaceWatch("/data", 0, () -> 0);
        watch.check();
        assertNull(watch.shortage());
    }

    @Test
    void theRealVolumeIsReadAtStart() {
        try (FreeSpaceWatch enough = FreeSpaceWatch.start(dir, 1);
             FreeSpaceWatch tooMuch = FreeSpaceWatch.start(dir, Long.MAX_VALUE)) {
            assertNull(enough.shortage());
            assertNotNull(tooMuch.shortage(), "no volume has 8 EiB usable");
        }
    }

    @Test
    void whileShortTheLogRefusesNewMessagesAndKeepsWhatIsStored() throws Exception {
        AtomicLong usable = new AtomicLong(10 * MIB);
        FreeSpaceWatch watch = new FreeSpaceWatch("/data", 5 * MIB, usable::get);
        watch.check();
        MessageStore store = MessageStore.open(EmbeddedDatabase.in(dir));
        List<ChatMessage> delivered = new ArrayList<>();
        StoredLog log = new StoredLog(store, 100, 1000, watch);
        log.start(new MessageLog.Listener() {
            @Override
            public void deliver(List<ChatMessage> messages) {
                delivered.addAll(messages);
            }

            @Override
            public void flush() {
            }
        });
        try {
            MessageLog.Appended first = append(log, "before");
            assertTrue(first instanceof MessageLog.Stored, String.valueOf(first));

            usable.set(MIB);
            watch.check();
            MessageLog.Appended refused = append(log, "while full");
            assertTrue(refused instanceof MessageLog.Unavailable unavailable && unavailable.why()
                    .contains("minFreeBytes"),
                    String.valueOf(refused));
            assertEquals("full", log.health().get("store"));
            assertTrue(log.health().get("storeProblem").contains("bytes usable"), log.health().toString());
            assertEquals(List.of("before"), store.newest(10).stream().map(StoredMessage::text).toList(),
                    "what was stored is still there, and nothing else was written");

            usable.set(10 * MIB);
            watch.check();
            assertTrue(append(log, "after") instanceof MessageLog.Stored);
            assertEquals("up", log.health().get("store"));
            assertEquals(List.of("before", "after"), store.newest(10).stream().map(StoredMessage::text).toList());
        } finally {
            log.close();
        }
    }

    @Test
    void theDefaultRetentionBoundsTheStore() {
        StoreSettings defaults = ChatSettings.defaults().store();
        assertEquals(1_000_000, defaults.retention().maxCount());
        assertTrue(!defaults.retention().keepsEverything());
        assertEquals(16 * MIB, defaults.bytesPerClientPerDay());
        assertEquals(512 * MIB, defaults.minFreeBytes());
    }

    private static MessageLog.Appended append(StoredLog log, String text) throws Exception {
        return log.append(new MessageLog.Draft("general", "alice", text, null, System.currentTimeMillis()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
