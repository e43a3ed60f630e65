package chatroom.connection;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.room.ManualClock;
import chatroom.wire.Frame;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection against a fake remote: one send in flight, order, bounds, coalescing, failure, stalls, close. */
class ConnectionTest {
    private static final int NO_BATCHING = 0;
    private static final int BATCH = 32 * 1024;
    private static final CloseReason GONE = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gone");

    private final FakeRemote remote = FakeRemote.withOwnThread();
    private final ManualClock clock = new ManualClock();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopCompleter() {
        remote.shutdown();
        assertNull(remote.violation.get());
    }

    private final FakePeer peer = new FakePeer(remote);
    private final ReplayBudget replays = new ReplayBudget(16 * Connection.REPLAY_PIECE_BYTES);

    private Connection outbox(int maxBatchBytes, long maxBytes) {
        return new Connection(peer, maxBatchBytes, false, maxBytes, replays, clock, Runnable::run, failures::add);
    }

    private static List<String> texts(int count) {
        return IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void sendsThatCompleteInlineLoopInsteadOfRecursing() {
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        List<String> expected = texts(20_000);
        expected.forEach(text -> assertTrue(outbox.offer(Frame.of(text))));
        outbox.pump();
        assertEquals(expected, remote.drain());
        assertEquals(1, remote.maxInFlight());
        // Recursion would add frames per send: 20,000 sends would overflow the stack long before they ended.
        assertTrue(remote.maxStackDepth() < 200, "stack depth " + remote.maxStackDepth());
        assertTrue(outbox.idle());
        assertEquals(0, outbox.queuedBytes());
    }

    @Test
    void sendsThatCompleteLaterOnAnotherThreadKeepOrderAndOneInFlight() throws InterruptedException {
        remote.mode = FakeRemote.Mode.LATER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        List<String> expected = texts(5_000);
        for (String text : expected) { // the producer pumps after each frame while completions race on the other thread
            assertTrue(outbox.offer(Frame.of(text)));
            outbox.pump();
        }
        List<String> received = new ArrayList<>();
        while (received.size() < expected.size()) {
            received.add(remote.next());
        }
        assertEquals(expected, received);
        assertEquals(1, remote.maxInFlight());
    }

    @Test
    void aChatV1BacklogIsCoalescedIntoOneFrameOfLines() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(BATCH, Long.MAX_VALUE);
        outbox.offer(Frame.of("{\"n\":0}"));
        outbox.pump();
        assertEquals("{\"n\":0}", remote.next());
        for (int i = 1; i <= 3; i++) {
            outbox.offer(Frame.of("{\"n\":" + i + "}"));
            outbox.pump(); // nothing: a send is in flight
        }
        assertEquals(1, remote.sends());
        remote.mode = FakeRemote.Mode.INLINE;
        remote.completeHeld();
        assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}", remote.next());
        assertEquals(1, remote.maxInFlight());
    }

    @Test
    void aPlainBacklogGoesOneFrameAtATime() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        outbox.offer(Frame.of("a"));
        outbox.pump();
        outbox.offer(Frame.of("b"));
        outbox.offer(Frame.of("c"));
        remote.mode = FakeRemote.Mode.INLINE;
        remote.completeHeld();
        assertEquals(List.of("a", "b", "c"), List.of(remote.next(), remote.next(), remote.next()));
    }

    @Test
    void withBatchingABurstLeavesInFewerWritesThanFramesAndALoneFrameAtOnce() throws InterruptedException {
        Connection outbox = new Connection(peer, NO_BATCHING, true, Long.MAX_VALUE, replays, clock, Runnable::run,
                failures::add);
        outbox.offer(Frame.of("lone"));
        outbox.pump();
        assertEquals(List.of("lone"), remote.drain(), "a lone frame is sent at once");
        assertEquals(1, remote.writes());
        assertFalse(remote.batching(), "and unbatched: nothing waits in a buffer for a flush");

        remote.mode = FakeRemote.Mode.NEVER;
        outbox.offer(Frame.of("first"));
        outbox.pump();
        List<String> burst = texts(50);
        burst.forEach(text -> outbox.offer(Frame.of(text))); // queued behind the send in flight
        remote.mode = FakeRemote.Mode.INLINE;
        remote.completeHeld();
        awaitIdle(outbox);
        List<String> expected = new ArrayList<>(List.of("first"));
        expected.addAll(burst);
        assertEquals(expected, remote.drain(), "each frame alone, in order");
        assertEquals(2 + 2, remote.writes(), "lone, first, then the burst: 49 batched in one write and the last");
        assertFalse(remote.batching(), "batching is off again once the queue is empty");

        outbox.offer(Frame.of("later"));
        outbox.pump();
        assertEquals(List.of("later"), remote.drain());
        assertEquals(5, remote.writes());
    }

    @Test
    void withoutBatchingEveryFrameIsAWrite() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        outbox.offer(Frame.of("first"));
        outbox.pump();
        texts(50).forEach(text -> outbox.offer(Frame.of(text)));
        remote.mode = FakeRemote.Mode.INLINE;
        remote.completeHeld();
        awaitIdle(outbox);
        assertEquals(51, remote.writes());
    }

    @Test
    void liveFramesAreRefusedPastTheByteBoundWhileReplayIsNot() {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection byBytes = outbox(NO_BATCHING, 10);
        assertTrue(byBytes.offer(Frame.of("12345")));
        assertFalse(byBytes.offer(Frame.of("6789é")), "6 bytes in UTF-8: 11 would pass 10");
        assertTrue(byBytes.offer(Frame.of("6789e")));
        assertEquals(10, byBytes.queuedBytes());
        byBytes.offerFirst(Frame.of("history")); // bounded by the history size, not by the outbox
    }

    @Test
    void aBurstOfManySmallFramesIsTakenWhateverTheirNumber() {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, 1024 * 1024);
        // A burst a reader that keeps up takes in a moment; only bytes bound a backlog, not a count of frames.
        for (int i = 0; i < 100_000; i++) {
            assertTrue(outbox.offer(Frame.of("0123456789")), "frame " + i);
        }
        assertEquals(1_000_000, outbox.queuedBytes());
    }

    @Test
    void theBoundCountsWhatIsInFlightUntilItCompletes() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, 2);
        outbox.offer(Frame.of("a"));
        outbox.pump();
        outbox.offer(Frame.of("b"));
        assertFalse(outbox.offer(Frame.of("c")), "a is still in flight");
        remote.mode = FakeRemote.Mode.LATER;
        remote.completeHeld();
        assertEquals("a", remote.next());
        assertEquals("b", remote.next());
        awaitIdle(outbox);
        assertTrue(outbox.offer(Frame.of("c")));
    }

    @Test
    void replayGoesBeforeLiveAndNothingLeavesWhileHeld() {
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        outbox.hold();
        outbox.offer(Frame.of("live"));
        outbox.pump();
        assertEquals(0, remote.sends(), "held: nothing is sent");
        outbox.offerFirst(Frame.of("welcome"));
        outbox.offerFirst(Frame.of("missed"));
        outbox.release();
        assertEquals(List.of("welcome", "missed", "live"), remote.drain());
    }

    /** A replay of {@code count} frames of 1 KiB, counting how many the connection has pulled. */
    private static Iterator<Frame> history(int count, AtomicInteger pulled) {
        return IntStream.range(0, count).mapToObj(i -> {
            pulled.incrementAndGet();
            return Frame.of("h" + i + "-" + "x".repeat(1000));
        }).iterator();
    }

    @Test
    void aReplayIsQueuedAPieceAtATimeAsItIsSentBetweenTheFirstFramesAndLive() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        AtomicInteger pulled = new AtomicInteger();
        outbox.hold();
        outbox.offerFirst(Frame.of("welcome"));
        outbox.replay(history(1000, pulled)); // 1 MB: sixteen pieces
        outbox.offer(Frame.of("live"));
        outbox.release();
        assertEquals("welcome", remote.next());
        assertEquals(0, pulled.get(), "nothing of the replay is queued while the welcome is in flight");
        remote.completeHeld();
        assertTrue(remote.next().startsWith("h0-"));
        int piece = pulled.get();
        assertTrue(piece > 1 && piece <= Connection.REPLAY_PIECE_BYTES / 1000 + 1, "one piece: " + piece);
        assertEquals(Connection.REPLAY_PIECE_BYTES, replays.inUse());
        List<String> rest = new ArrayList<>();
        while (rest.isEmpty() || !rest.get(rest.size() - 1).equals("live")) { // each send completes as the peer reads
            remote.completeHeld();
            rest.add(remote.next());
            assertTrue(pulled.get() <= rest.size() + 1 + piece, "at most a piece ahead of what was sent");
        }
        remote.completeHeld();
        awaitIdle(outbox);
        assertEquals(1000 - 1 + 1, rest.size());
        for (int i = 1; i < 1000; i++) {
            assertTrue(rest.get(i - 1).startsWith("h" + i + "-"), "in order: " + i);
        }
        assertEquals("live", rest.get(rest.size() - 1), "live after the whole replay");
        assertEquals(0, replays.inUse(), "the piece went back when the replay ended");
    }

    @Test
    void aReplayThatFindsTheBudgetSpentWaitsWithItsLiveFramesUntilAPieceComesBack() throws InterruptedException {
        ReplayBudget onePiece = new ReplayBudget(Connection.REPLAY_PIECE_BYTES);
        FakeRemote otherRemote = FakeRemote.withOwnThread();
        try {
            remote.mode = FakeRemote.Mode.NEVER;
            Connection stalled = new Connection(peer, NO_BATCHING, false, Long.MAX_VALUE, onePiece, clock,
                    Runnable::run,
                    failures::add);
            stalled.replay(history(100, new AtomicInteger()));
            stalled.pump();
            assertTrue(remote.next().startsWith("h0-"), "the first takes the only piece and stalls");

            Connection waiting = new Connection(new FakePeer(otherRemote), NO_BATCHING, false, Long.MAX_VALUE, onePiece,
                    clock, Runnable::run, failures::add);
            waiting.replay(history(3, new AtomicInteger()));
            waiting.offer(Frame.of("live"));
            waiting.pump();
            assertEquals(0, otherRemote.sends(), "no piece for it, and live may not overtake its replay");

            stalled.discard(); // the stalled one leaves: its piece comes back and the waiting one is pumped
            assertEquals(List.of("h0-", "h1-", "h2-", "live"),
                    List.of(otherRemote.next(), otherRemote.next(), otherRemote.next(), otherRemote.next()).stream()
                            .map(text -> text.startsWith("h") ? text.substring(0, 3) : text).toList());
            awaitCondition(() -> onePiece.inUse() == 0);
            assertNull(otherRemote.violation.get());
        } finally {
            otherRemote.shutdown();
        }
    }

    @Test
    void aFailedSendIsReportedOnceAndDropsWhatIsQueued() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        outbox.offer(Frame.of("a"));
        outbox.pump();
        outbox.offer(Frame.of("b"));
        remote.drain();
        remote.mode = FakeRemote.Mode.FAIL;
        remote.completeHeld(); // a completes fine, then b fails inline in the pump that follows
        awaitCondition(() -> failures.size() == 1);
        assertTrue(outbox.offer(Frame.of("c")), "a closed outbox takes nothing and refuses nothing");
        outbox.pump();
        assertEquals(List.of("b"), remote.drain());
        assertEquals(1, failures.size());
    }

    @Test
    void aSendThatNeverCompletesIsStalledOnceTheClockPassesTheLimit() {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        long limit = TimeUnit.SECONDS.toNanos(10);
        assertFalse(outbox.stalledLongerThan(clock.nanoTime(), limit), "nothing in flight");
        outbox.offer(Frame.of("a"));
        outbox.pump();
        clock.advance(10, TimeUnit.SECONDS);
        assertFalse(outbox.stalledLongerThan(clock.nanoTime(), limit));
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(outbox.stalledLongerThan(clock.nanoTime(), limit));
        assertFalse(outbox.idle());
    }

    @Test
    void aCloseWaitsForTheSendInFlightAndDropsWhatIsQueuedBehindIt() throws InterruptedException {
        remote.mode = FakeRemote.Mode.NEVER;
        Connection outbox = outbox(NO_BATCHING, Long.MAX_VALUE);
        outbox.offer(Frame.of("a"));
        outbox.pump();
        outbox.offer(Frame.of("b"));
        outbox.close(GONE);
        outbox.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "a second close")); // ignored
        assertFalse(peer.closed(), "a is still in flight");
        remote.completeHeld();
        assertEquals(GONE, peer.awaitClose());
        assertEquals(List.of("a"), remote.drain(), "b was queued behind a: dropped");
        assertFalse(peer.closed(), "closed once");
    }

    @Test
    void aCloseWithNothingInFlightIsAtOnceAndOneStuckBehindASendWaitsOnlyForTheGrace() throws InterruptedException {
        Connection quiet = outbox(NO_BATCHING, Long.MAX_VALUE);
        quiet.close(GONE);
        assertEquals(GONE, peer.awaitClose());

        FakePeer stuckPeer = new FakePeer(remote);
        Connection stuck = new Connection(stuckPeer, NO_BATCHING, false, Long.MAX_VALUE, replays, clock, Runnable::run,
                failures::add);
        remote.mode = FakeRemote.Mode.NEVER;
        stuck.offer(Frame.of("a"));
        stuck.pump();
        stuck.close(GONE);
        long grace = TimeUnit.SECONDS.toNanos(30);
        clock.advance(30, TimeUnit.SECONDS);
        assertFalse(stuck.closeIfGraceOver(clock.nanoTime(), grace));
        assertFalse(stuckPeer.closed());
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(stuck.closeIfGraceOver(clock.nanoTime(), grace));
        assertEquals(GONE, stuckPeer.awaitClose());
        remote.completeHeld(); // the send settles after all: no second close
        awaitCondition(stuck::idle);
        assertFalse(stuckPeer.closed());
    }

    private static void awaitIdle(Connection outbox) {
        awaitCondition(outbox::idle);
    }

    /** A bounded wait for a completion on the fake's thread. */
    static void awaitCondition(BooleanSupplier condition) {
        await().atMost(5, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(condition::getAsBoolean);
    }
}
