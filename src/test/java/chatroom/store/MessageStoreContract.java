package chatroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.store.GroupCommitWriter.Appended;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine behind {@link MessageStore} must do, with the writer on top: one subclass per engine, each on
 * a real database (an SQLite file; a PostgreSQL server the test starts).
 */
abstract class MessageStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long TS = NOW.toEpochMilli();

    private final List<GroupCommitWriter> writers = new ArrayList<>();

    /** A new, empty database for one test. */
    abstract DataSource freshDatabase();

    /** A second DataSource on the same database, as a restarted webapp would open it. */
    abstract DataSource reopen(DataSource database);

    @AfterEach
    void stopWriters() {
        writers.forEach(GroupCommitWriter::close);
    }

    @Test
    void anEmptyStoreHasNoNewestIdAndNoHistory() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        assertEquals(0, store.newestId());
        assertEquals(List.of(), store.newest("general", 50));
        assertEquals(List.of(), store.before("general", 10, 50));
        assertEquals(List.of(), store.after(0, 50));
    }

    @Test
    void messagesComeBackAsStoredInIdOrder() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        StoredMessage hello = new StoredMessage("general", 7, "alice", "hello <b>\"bob\"</b> & 😀", 1_000, "c-1");
        StoredMessage plain = new StoredMessage("general", 8, "guest-3", "no cid here", 2_000, null);
        store.insert(List.of(hello, plain));

        assertEquals(8, store.newestId());
        assertEquals(List.of(hello, plain), store.after(0, 10));
        assertEquals(List.of(plain), store.after(7, 10));
        assertEquals(List.of(hello), store.before("general", 8, 10));
        assertEquals(List.of(plain), store.newest("general", 1));
    }

    @Test
    void pagesBackwardsReachTheFirstMessageWithoutGapOrDuplicate() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        store.insert(LongStream.rangeClosed(1, 120).mapToObj(id -> message(id, null)).toList());

        List<Long> seen = new ArrayList<>();
        long before = Long.MAX_VALUE;
        for (List<StoredMessage> page = store.before("general", before,
                50); !page.isEmpty(); page = store.before("general", before, 50)) {
            assertTrue(page.size() <= 50);
            seen.addAll(0, page.stream().map(StoredMessage::id).toList());
            before = page.get(0).id();
        }
        assertEquals(LongStream.rangeClosed(1, 120).boxed().toList(), seen);
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        store.insert(List.of(message(2, null)));

        assertThrows(SQLException.class,
                () -> store.insert(List.of(message(1, null), message(2, null), message(3, null))));
        assertEquals(List.of(message(2, null)), store.after(0, 10));
    }

    @Test
    void copiesOfOneMessageLeaveOneRow() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        assertEquals(2, store.insertIfAbsent(List.of(message(1, null), message(2, null))));
        assertEquals(1, store.insertIfAbsent(List.of(message(2, null), message(3, null))));
        assertEquals(List.of(1L, 2L, 3L), ids(store.after(0, 10)));
    }

    @Test
    void retentionByCountKeepsTheNewest() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        store.insert(LongStream.rangeClosed(1, 30).mapToObj(id -> message(id, null)).toList());

        assertEquals(0, store.purge(Retention.KEEP_EVERYTHING, TS));
        assertEquals(20, store.purge(new Retention(Duration.ZERO, 10), TS));
        assertEquals(LongStream.rangeClosed(21, 30).boxed().toList(), ids(store.after(0, 100)));
    }

    @Test
    void retentionByAgeKeepsTheYoungerButAlwaysTheNewest() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        long day = Duration.ofDays(1).toMillis();
        long now = NOW.toEpochMilli();
        store.insert(List.of(stamped(1, now - 3 * day), stamped(2, now - 2 * day), stamped(3, now - day + 1),
                stamped(4, now)));

        RetentionPurge purge = new RetentionPurge(store, new Retention(Duration.ofDays(1), 0), CLOCK);
        assertEquals(2, purge.purgeNow());
        assertEquals(List.of(3L, 4L), ids(store.after(0, 10)));

        // A week later nothing is young enough, yet the newest message stays: ids continue after it.
        Clock weekLater = Clock.offset(CLOCK, Duration.ofDays(7));
        assertEquals(1, new RetentionPurge(store, new Retention(Duration.ofDays(1), 0), weekLater).purgeNow());
        assertEquals(List.of(4L), ids(store.after(0, 10)));
        assertEquals(4, store.newestId());
    }

    @Test
    void aDatabaseOfTheFirstSchemaIsMigratedWithItsRows() throws SQLException {
        DataSource database = freshDatabase();
        Migrations.migrate(database, "general", MigrationVersion.fromVersion("1"));
        try (Connection connection = database.getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO chat_message (id, sender, text, ts, cid) VALUES (41, 'alice', 'from "
                    + "v1', 5, 'c-9')");
        }
        assertFalse(indexExists(database, "chat_message_room_id"), "V1 has no rooms yet");

        MessageStore store = MessageStore.open(database, "lobby");
        assertTrue(indexExists(database, "chat_message_room_id"), "V3 was applied");
        assertFalse(indexExists(database, "chat_message_sender_cid"), "the unused lookup's index is gone");
        assertEquals(41, store.newestId());
        assertEquals(List.of(new StoredMessage("lobby", 41, "alice", "from v1", 5, "c-9")), store.newest("lobby", 10),
                "a message from before rooms belongs to the default room");
    }

    @Test
    void eachRoomReadsOnlyItsOwnMessages() throws SQLException {
        MessageStore store = MessageStore.open(freshDatabase());
        StoredMessage general = message(1, null);
        StoredMessage help = new StoredMessage("help", 2, "bob", "in help", 2000, null);
        StoredMessage later = message(3, null);
        store.insert(List.of(general, help, later));
        assertEquals(List.of(general, later), store.newest("general", 10));
        assertEquals(List.of(help), store.newest("help", 10));
        assertEquals(List.of(general), store.before("general", 3, 10));
        assertEquals(List.of(), store.before("help", 2, 10));
        assertEquals(List.of(general, help, later), store.after(0, 10));
        assertEquals(3, store.newestId());
    }

    @Test
    void theWriterGivesIdsAfterTheNewestStoredAndStoresBeforeTellingAnyone() throws Exception {
        DataSource database = freshDatabase();
        MessageStore store = MessageStore.open(database);
        store.insert(List.of(message(99, null)));
        List<Long> storedWhenHeard = new CopyOnWriteArrayList<>();
        GroupCommitWriter writer = start(store, message -> {
            try {
                // The listener is the room's fan-out: by the time it hears of a message, the row is there.
                storedWhenHeard.add(reopenedStore(database).after(message.id() - 1, 1).get(0).id());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        Appended appended = writer.append("general", "alice", "hi", null, TS).get(5, TimeUnit.SECONDS);
        assertEquals(100, appended.message().id());
        assertFalse(appended.duplicate());
        assertEquals(NOW.toEpochMilli(), appended.message().timestamp());
        assertEquals(List.of(100L), storedWhenHeard);
    }

    @Test
    void anEmptyStoreStartsAfterTheGivenFloorAndAFilledOneAfterItsNewest() throws Exception {
        MessageStore store = MessageStore.open(freshDatabase());
        GroupCommitWriter empty = GroupCommitWriter.start(store, 5_000, 100, 100, batch -> { });
        writers.add(empty);
        assertEquals(5_001, empty.append("general", "alice", "first", null, TS).get(5, TimeUnit.SECONDS)
                .message().id());
        empty.close();
        GroupCommitWriter filled = GroupCommitWriter.start(store, 10, 100, 100, batch -> { });
        writers.add(filled);
        assertEquals(5_002, filled.append("general", "alice", "second", null, TS).get(5, TimeUnit.SECONDS)
                .message().id());
    }

    @Test
    void concurrentAppendersShareCommitsAndEachMessageIsStoredOnceInIdOrder() throws Exception {
        MessageStore store = MessageStore.open(freshDatabase());
        List<StoredMessage> heard = new CopyOnWriteArrayList<>();
        GroupCommitWriter writer = start(store, heard::add);
        int senders = 8;
        int perSender = 250;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Appended>>> results = new ArrayList<>();
        try {
            for (int s = 0; s < senders; s++) {
                String sender = "user-" + s;
                results.add(pool.submit(() -> {
                    go.await(5, TimeUnit.SECONDS);
                    List<CompletableFuture<Appended>> mine = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        mine.add(writer.append("general", sender, sender + " says " + i, "c-" + i, TS));
                    }
                    List<Appended> done = new ArrayList<>();
                    for (CompletableFuture<Appended> future : mine) {
                        done.add(future.get(30, TimeUnit.SECONDS));
                    }
                    return done;
                }));
            }
            go.countDown();
            for (int s = 0; s < senders; s++) {
                List<Appended> mine = results.get(s).get(60, TimeUnit.SECONDS);
                // One sender's messages keep the order it appended them in.
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i).message().id() > mine.get(i - 1).message().id());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        int total = senders * perSender;
        List<StoredMessage> stored = store.after(0, total + 1);
        assertEquals(total, stored.size(), "each message stored once");
        assertEquals(stored, heard, "the listener heard every stored message once, in id order");
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), ids(stored));
        assertTrue(writer.commits() < total, "appends arriving together share commits: " + writer.commits());
    }

    @Test
    void aRetriedClientIdGetsTheOriginalEvenAcrossARestart() throws Exception {
        DataSource database = freshDatabase();
        GroupCommitWriter writer = start(MessageStore.open(database), message -> { });
        CompletableFuture<Appended> first = writer.append("general", "alice", "hello", "c-1", TS);
        CompletableFuture<Appended> quickRetry = writer.append("general", "alice", "hello", "c-1", TS);
        CompletableFuture<Appended> otherSender = writer.append("general", "bob", "hello", "c-1", TS);
        long original = first.get(5, TimeUnit.SECONDS).message().id();
        assertEquals(new Appended(first.get().message(), true), quickRetry.get(5, TimeUnit.SECONDS));
        assertFalse(otherSender.get(5, TimeUnit.SECONDS).duplicate());
        Appended laterRetry = writer.append("general", "alice", "hello", "c-1", TS).get(5, TimeUnit.SECONDS);
        assertTrue(laterRetry.duplicate());
        assertEquals(original, laterRetry.message().id());
        writer.close();

        MessageStore restarted = MessageStore.open(reopen(database));
        GroupCommitWriter after = start(restarted, message -> { });
        Appended retryAfterRestart = after.append("general", "alice", "hello", "c-1", TS).get(5, TimeUnit.SECONDS);
        assertTrue(retryAfterRestart.duplicate());
        assertEquals(original, retryAfterRestart.message().id());
        assertEquals(2, restarted.after(0, 10).size());
    }

    @Test
    void aRestartedStoreKeepsItsRowsAndContinuesTheIds() throws Exception {
        DataSource database = freshDatabase();
        GroupCommitWriter writer = start(MessageStore.open(database), message -> { });
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            appends.add(writer.append("general", "alice", "before " + i, null, TS));
        }
        // Closing stores what was accepted before the stop.
        writer.close();
        for (CompletableFuture<Appended> append : appends) {
            assertTrue(append.isDone() && !append.isCompletedExceptionally());
        }

        MessageStore restarted = MessageStore.open(reopen(database));
        assertEquals(20, restarted.newestId());
        GroupCommitWriter after = start(restarted, message -> { });
        assertEquals(21, after.append("general", "alice", "after", null, TS).get(5, TimeUnit.SECONDS).message().id());
        assertEquals(21, restarted.after(0, 100).size());
    }

    @Test
    void aFailedBatchIsRefusedWholeAndItsIdsAreNeverReused() throws Exception {
        DataSource database = freshDatabase();
        MessageStore store = MessageStore.open(database);
        GroupCommitWriter writer = start(store, message -> { });
        assertEquals(1, writer.append("general", "alice", "one", null, TS).get(5, TimeUnit.SECONDS).message().id());
        // Another writer on the same table (a misconfiguration) takes id 2: the next batch conflicts.
        store.insert(List.of(message(2, null)));

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> writer.append("general", "alice", "two", "c-2", TS).get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, refused.getCause());
        assertFalse(writer.healthy(), "unhealthy until a batch succeeds");
        Appended next = writer.append("general", "alice", "three", null, TS).get(5, TimeUnit.SECONDS);
        assertEquals(3, next.message().id());
        assertTrue(writer.healthy());
        // The refused message was never stored, so its cid is free for the client's retry.
        assertFalse(writer.append("general", "alice", "two", "c-2", TS).get(5, TimeUnit.SECONDS).duplicate());
    }

    @Test
    void textNoDatabaseCanHoldIsRefusedAloneWithoutFailingOthers() throws Exception {
        MessageStore store = MessageStore.open(freshDatabase());
        GroupCommitWriter writer = start(store, message -> { });
        CompletableFuture<Appended> fine = writer.append("general", "alice", "fine", null, TS);
        CompletableFuture<Appended> nul = writer.append("general", "alice", "a\u0000b", null, TS);
        CompletableFuture<Appended> lone = writer.append("general", "alice", "x\ud800", null, TS);
        CompletableFuture<Appended> badCid = writer.append("general", "alice", "ok", "\udc00", TS);

        assertEquals("fine", fine.get(5, TimeUnit.SECONDS).message().text());
        for (CompletableFuture<Appended> refused : List.of(nul, lone, badCid)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        }
        assertEquals(1, store.after(0, 10).size());
    }

    @Test
    void afterCloseAnAppendIsRefusedAtOnce() {
        GroupCommitWriter writer = start(MessageStore.open(freshDatabase()), message -> { });
        writer.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> writer.append("general", "alice", "late", null, TS).get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, e.getCause());
    }

    @Test
    void nodesArchivingTheSameMessagesLeaveOneRowEach() throws Exception {
        DataSource database = freshDatabase();
        MessageStore store = MessageStore.open(database);
        List<StoredMessage> delivered = LongStream.rangeClosed(1, 500).mapToObj(id -> message(id, null)).toList();
        StoreArchive one = StoreArchive.start(store, 10_000);
        StoreArchive other = StoreArchive.start(MessageStore.open(reopen(database)), 10_000);
        // Each node receives the Stream in its own slices, at the same time as the other.
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = nodes.submit(() -> {
                for (int i = 0; i < 500; i += 7) {
                    one.offer(delivered.subList(i, Math.min(500, i + 7)));
                }
            });
            Future<?> second = nodes.submit(() -> {
                for (int i = 0; i < 500; i += 50) {
                    other.offer(delivered.subList(i, i + 50));
                }
            });
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            nodes.shutdownNow();
        }
        one.close();
        other.close();
        assertEquals(delivered, store.after(0, 1000));
        assertEquals(500, one.archivedUpTo());
    }

    private GroupCommitWriter start(MessageStore store, java.util.function.Consumer<StoredMessage> listener) {
        GroupCommitWriter writer = GroupCommitWriter.start(store, 0, 10_000, 1000, batch -> batch.forEach(listener));
        writers.add(writer);
        return writer;
    }

    private MessageStore reopenedStore(DataSource database) {
        return MessageStore.open(reopen(database));
    }

    private static boolean indexExists(DataSource database, String name) throws SQLException {
        try (Connection connection = database.getConnection();
             ResultSet indexes = connection.getMetaData().getIndexInfo(null, null, "chat_message", false, false)) {
            while (indexes.next()) {
                if (name.equalsIgnoreCase(indexes.getString("INDEX_NAME"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static StoredMessage message(long id, String cid) {
        return new StoredMessage("general", id, "alice", "message " + id, id * 1000, cid);
    }

    private static StoredMessage stamped(long id, long timestamp) {
        return new StoredMessage("general", id, "alice", "message " + id, timestamp, null);
    }

    private static List<Long> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::id).toList();
    }
}
