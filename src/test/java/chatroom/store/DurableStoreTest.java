package chatroom.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webapp's store without a container DataSource: the SQLite file in chat.store.dir. */
class DurableStoreTest {
    @TempDir
    Path dir;

    @Test
    void withoutAContainerDataSourceItOpensTheFileInTheConfiguredDirectory() throws Exception {
        try (DurableStore store = DurableStore.open(new StoreSettings(true, dir.toString(), 0, 0,
                3_600_000), "/chatroom",
                Clock.systemUTC())) {
            assertTrue(store.description().contains(dir.resolve("chatroom.db").toString()), store.description());
            store.messages().insert(List.of(new StoredMessage("general", 1, "alice", "hi", 1, null)));
            assertEquals(1, store.messages().newestId());
        }
    }

    @Test
    void theWriteAheadLogIsCopiedIntoTheDatabaseFileInTheBackground() throws Exception {
        Path file = dir.resolve("chatroom.db");
        try (DurableStore store = DurableStore.open(new StoreSettings(true, dir.toString(), 0, 0,
                3_600_000), "/chatroom",
                Clock.systemUTC())) {
            long before = Files.size(file);
            // Commits go to the log only (no checkpoint inside a commit, and the writer's connection stays open, so
            // no closing connection checkpoints either): the file grows once a background checkpoint ran.
            try (GroupCommitWriter writer = GroupCommitWriter.start(store.messages(), 0, 10_000, 100, batch -> { })) {
                List<CompletableFuture<GroupCommitWriter.Appended>> appends = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    appends.add(writer.append("general", "alice", "x".repeat(200), null, i));
                }
                for (CompletableFuture<GroupCommitWriter.Appended> append : appends) {
                    append.get(10, TimeUnit.SECONDS);
                }
                waitForGrowth(file, before);
            }
        }
    }

    /** A file size is no event to wait on: poll it, bounded (checkpoints run every second). */
    private static void waitForGrowth(Path file, long before) {
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertTrue(Files.size(file) > before, "a background checkpoint copied the log into " + file));
    }
}
