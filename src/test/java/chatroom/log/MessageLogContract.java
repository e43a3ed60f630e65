package chatroom.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.log.MessageLog.Appended;
import chatroom.log.MessageLog.Draft;
import chatroom.log.MessageLog.Duplicate;
import chatroom.log.MessageLog.Stored;
import chatroom.wire.ChatMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageLog} promises the room, run against each implementation (Centrifuge's shared broker
 * tests are the model): ids that only grow, every accepted message delivered once and in id order to the one
 * listener, a retried cid answered with its original, and the retained history.
 */
abstract class MessageLogContract {
    private MessageLog log;
    private final Recorder listener = new Recorder();

    /** A started-fresh log retaining {@code capacity} messages (a new store each time). */
    abstract MessageLog create(int capacity);

    /** After the log is closed: what {@link #create} started besides it. */
    void release() {
    }

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
        release();
        assertNull(listener.violation.get());
    }

    /** A started log with the room {@code general} open (as the rooms open a room before anyone posts in it). */
    private MessageLog started(int capacity) {
        log = create(capacity);
        log.start(listener);
        log.open("general");
        return log;
    }

    private static Appended append(MessageLog log, String from, String text, String cid) throws Exception {
        return append(log, "general", from, text, cid);
    }

    private static Appended append(MessageLog log, String room, String from, String text, String cid) throws Exception {
        return log.append(new Draft(room, from, text, cid, 1_764_201_600_000L)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private static long stored(Appended appended) {
        return assertInstanceOf(Stored.class, appended).id();
    }

    @Test
    void appendsGetGrowingIdsAndReachTheListenerInThatOrder() throws Exception {
        MessageLog log = started(10);
        long before = log.lastId();
        long first = stored(append(log, "alice", "one", null));
        long second = stored(append(log, "bob", "two", "c-2"));
        assertTrue(first > before && second > first, first + " then " + second);
        ChatMessage one = listener.next();
        ChatMessage two = listener.next();
        assertEquals(List.of(first, second), List.of(one.id(), two.id()));
        assertEquals("alice", one.from());
        assertEquals("one", one.text());
        assertEquals("c-2", two.cid());
        assertEquals(1_764_201_600_000L, two.timestamp());
        assertTrue(listener.flushes.tryAcquire(5, TimeUnit.SECONDS), "flush follows a delivery");
        assertEquals(second, log.lastId());
        assertTrue(log.lastIssuedId() >= second);
    }

    @Test
    void aRetriedCidIsAnsweredWithTheOriginalAndDeliveredOnce() throws Exception {
        MessageLog log = started(10);
        long original = stored(append(log, "alice", "hello", "c-1"));
        listener.next();
        Duplicate again = assertInstanceOf(Duplicate.class, append(log, "alice", "hello (resent)", "c-1"));
        assertEquals(original, again.original().id());
        assertEquals("hello", again.original().text());
        long other = stored(append(log, "bob", "hello", "c-1")); // a cid is the sender's own
        assertEquals(other, listener.next().id());
        assertEquals(original, log.lastId() - 1);
        assertNull(listener.delivered.poll(), "the retry was not delivered");
    }

    @Test
    void eachRoomKeepsItsOwnMessagesAndRetriesOnOneIdSequence() throws Exception {
        MessageLog log = started(10);
        log.open("help");
        long general = stored(append(log, "general", "alice", "in general", "c-1"));
        listener.next();
        long help = stored(append(log, "help", "alice", "in help", "c-1")); // the same cid, another room: new
        assertEquals("help", listener.next().room());
        assertTrue(help > general, "one sequence: ids grow across rooms");
        assertEquals(List.of(general), idsOf(log.retainedAfter("general", 0).messages()));
        assertEquals(List.of(help), idsOf(log.retainedAfter("help", 0).messages()));
        assertEquals(general, log.lastId("general"));
        assertEquals(help, log.lastId("help"));
        Duplicate retry = assertInstanceOf(Duplicate.class, append(log, "help", "alice", "in help", "c-1"));
        assertEquals(help, retry.original().id());
        assertEquals(List.of(), log.newest("elsewhere", 10), "a room that is not open retains nothing here");
        log.forget("help");
        assertEquals(List.of(), log.newest("help", 10), "a forgotten room left memory");
    }

    @Test
    void theRetainedHistoryIsTheNewestMessagesAfterAnId() throws Exception {
        MessageLog log = started(3);
        assertEquals(0, log.retainedCount());
        assertEquals(List.of(), log.retainedAfter("general", 0).messages());
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(stored(append(log, "alice", "m" + i, "c-" + i)));
            listener.next();
        }
        assertEquals(3, log.retainedCount());
        MessageLog.Retained all = log.retainedAfter("general", 0);
        assertEquals(ids.get(1), all.completeAfter(), "complete after the newest message that fell out");
        assertEquals(ids.subList(2, 5), idsOf(all.messages()));
        assertEquals(ids.subList(4, 5), idsOf(log.retainedAfter("general", ids.get(3)).messages()));
        assertEquals(ids.subList(3, 5), idsOf(log.newest("general", 2)));
        // A cid whose message fell out of the history is new again.
        assertInstanceOf(Stored.class, append(log, "alice", "m1 again", "c-1"));
    }

    @Test
    void concurrentAppendsReachTheListenerOnceEachInIdOrder() throws Exception {
        MessageLog log = started(1000);
        int threads = 4;
        int each = 50;
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String from = "sender" + t;
                results.add(senders.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(stored(append(log, from, "m" + i, from + "-" + i)));
                    }
                    return mine;
                }));
            }
            Set<Long> storedIds = new HashSet<>();
            for (Future<List<Long>> result : results) {
                storedIds.addAll(result.get(30, TimeUnit.SECONDS));
            }
            assertEquals(threads * each, storedIds.size(), "every id given out once");
            List<Long> deliveredIds = new ArrayList<>();
            for (int i = 0; i < threads * each; i++) {
                deliveredIds.add(listener.next().id());
            }
            assertEquals(storedIds, new HashSet<>(deliveredIds));
            assertEquals(deliveredIds.stream().sorted().toList(), deliveredIds, "in id order");
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void anAppendCompletesAsAStageTheCallerNeedNotBlockOn() throws Exception {
        MessageLog log = started(10);
        CompletableFuture<Appended> stage = log.append(new Draft("general", "alice", "hi", null, 0))
                .toCompletableFuture();
        Appended outcome = stage.get(5, TimeUnit.SECONDS);
        assertNotEquals(null, outcome);
        assertEquals(stored(outcome), listener.next().id());
    }

    private static List<Long> idsOf(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    /** The room's side: records deliveries, and reports a delivery that overlaps another or goes back in id. */
    static final class Recorder implements MessageLog.Listener {
        final BlockingQueue<ChatMessage> delivered = new LinkedBlockingQueue<>();
        /** One permit per flush: a flush split into shares counts once every share of it ran. */
        final Semaphore flushes = new Semaphore(0);
        final AtomicReference<String> violation = new AtomicReference<>();
        private final AtomicBoolean delivering = new AtomicBoolean();
        private long lastId = Long.MIN_VALUE;

        @Override
        public void deliver(List<ChatMessage> messages) {
            if (!delivering.compareAndSet(false, true)) {
                violation.compareAndSet(null, "two deliveries at once");
            }
            for (ChatMessage message : messages) {
                if (message.id() <= lastId) {
                    violation.compareAndSet(null, "id " + message.id() + " after " + lastId);
                }
                lastId = message.id();
                delivered.add(message);
            }
            delivering.set(false);
        }

        @Override
        public void flush() {
            flushes.release();
        }

        ChatMessage next() throws InterruptedException {
            ChatMessage message = delivered.poll(5, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("nothing delivered within 5 s");
            }
            return message;
        }
    }
}
