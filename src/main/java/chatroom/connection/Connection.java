package chatroom.connection;

import chatroom.Clock;
import chatroom.wire.Frame;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One member's end of the socket: its outbound queue, the one async send in flight, and its close. The next frame
 * goes out only when the container reports the previous one done ({@link SendHandler}): Tomcat throws on
 * overlapping async sends and Jetty queues them without limit; this class makes both behave the same and bounded.
 *
 * <p>How far behind a member may fall is a matter of time, not of queue length: a member whose send in flight has
 * not completed for the send timeout stopped reading ({@link #stalledLongerThan}), and housekeeping closes it. A
 * member that keeps reading makes progress with every completed send, however large the backlog a burst left it, so
 * it is never closed for that. The byte bound is only a memory backstop for a member that reads, but slower than the
 * room talks: {@link #offer} refuses past it. Queued frames are the room's shared objects (one per message, not one
 * per member), so a backlog costs a member a reference per frame until it is coalesced or sent. Frames queued
 * {@linkplain #offerFirst first} (the welcome, notices) do not count: there are a few of them.
 *
 * <p>Replayed history ({@link #replay}) is queued a piece at a time ({@link #REPLAY_PIECE_BYTES}), the next piece
 * once the last is sent, under a budget shared by all connections ({@link ReplayBudget}): a resume that asks for
 * megabytes and does not read holds one piece, stalls, and is cut by the slow-consumer rule like any member. What
 * the kernel then holds for it is its socket send buffer, which the container's accepted-socket send buffer size
 * bounds (left to the kernel, Linux grows it to megabytes on loopback).
 *
 * <p>With {@code batching}, a backlog also leaves through the container's batching: every frame but the last of
 * what is queued is sent with batching allowed (the container copies it into its buffer and completes at once,
 * writing when the buffer fills), and the last one after turning batching off, which writes what the buffer holds;
 * so a burst costs a few writes instead of one per frame, and a lone frame is sent unbatched, at once. Turning
 * batching off flushes synchronously in both containers (Jetty waits without a bound, Tomcat for its blocking-send
 * timeout): while the peer's socket is full, the thread that pumps waits. That is why it is a setting, off by default.
 *
 * <p>A protocol that allows it (chat.v1) has a backlog coalesced into one frame of
 * newline-separated envelopes, so a member that falls behind catches up in few large writes instead of many small
 * ones. A member joining is {@linkplain #hold() held} until its replay is queued, so no live frame overtakes it.
 *
 * <p>The close comes after the send in flight, never in the middle of it: closing a session mid-send makes Tomcat
 * drop the connection without a close frame, while after the send both containers deliver the close frame to a
 * peer that reads. A peer that stopped reading is given the close grace to read on and find the close frame behind
 * its data ({@link #closeIfGraceOver}); one that still does not read is closed then anyway. Closes and pings may
 * block on a congested peer, so they run on the {@code io} executor, never on the caller.
 *
 * <p>The lock is never held across {@code sendText}: a container may complete the send (and call
 * {@link #onResult}) on the calling thread, or on another thread before {@code sendText} returns.
 */
public final class Connection implements SendHandler {
    /** Replay queued or in flight per connection: the next piece is queued once this one is sent. */
    public static final int REPLAY_PIECE_BYTES = 64 * 1024;

    private final Peer peer;
    /** Largest coalesced frame; 0 sends every frame alone. */
    private final int maxBatchBytes;
    /** Whether a backlog goes through the container's batching. */
    private final boolean batching;
    private final long maxBytes;
    private final Clock clock;
    private final Executor io;
    private final Consumer<Throwable> onSendFailure;
    private final ReplayBudget replayBudget;

    private final ArrayDeque<Frame> first = new ArrayDeque<>();
    private final ArrayDeque<Frame> live = new ArrayDeque<>();
    /** History still to replay after {@link #first}, before {@link #live}; null when there is none. */
    private Iterator<Frame> replay;
    /** Bytes of the replay budget this connection holds: one piece while it replays, else 0. */
    private long replayBytesHeld;
    /** Bytes of live traffic queued or in flight: what the bound applies to. */
    private long liveBytes;
    private long inFlightLiveBytes;
    private boolean inFlight;
    private long inFlightSinceNanos;
    /** When a send last completed (or the connection was made): the peer's socket took data then. */
    private long lastSentNanos;
    private Thread pumpingThread;
    /** The remote's batching flag as last set; only the thread with the send in flight touches it. */
    private boolean remoteBatching;
    /** Nothing more is queued or sent: the member left, or is being closed. */
    private boolean discarded;
    private boolean held;
    /** Set when the member is sent away; the close follows once the send in flight settles. */
    private CloseReason closing;
    private long closingSinceNanos;
    /** What a closing member is told last, after the send in flight; sent once. */
    private Frame lastWord;
    private boolean closeStarted;

    public Connection(Peer peer, int maxBatchBytes, boolean batching, long maxBytes, ReplayBudget replayBudget,
                      Clock clock, Executor io, Consumer<Throwable> onSendFailure) {
        this.peer = peer;
        this.batching = batching;
        this.replayBudget = replayBudget;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.io = io;
        this.onSendFailure = onSendFailure;
        this.lastSentNanos = clock.nanoTime();
    }

    /** Queues a live frame; false when that would pass the byte bound (the member is too slow to keep). */
    public synchronized boolean offer(Frame frame) {
        if (discarded) {
            return true;
        }
        if (liveBytes + frame.bytes() > maxBytes) {
            return false;
        }
        live.add(frame);
        liveBytes += frame.bytes();
        return true;
    }

    /** Queues a frame ahead of every live one (the welcome and notices of a member joining). */
    public synchronized void offerFirst(Frame frame) {
        if (!discarded) {
            first.add(frame);
        }
    }

    /**
     * History to send after the frames queued {@linkplain #offerFirst first} and before any live frame, a piece at
     * a time as the peer takes it. Once, while {@linkplain #hold() held}.
     */
    public synchronized void replay(Iterator<Frame> frames) {
        if (!discarded) {
            replay = frames;
        }
    }

    /** Nothing is sent until {@link #release()}: frames queue meanwhile. */
    public synchronized void hold() {
        held = true;
    }

    /** Ends a {@link #hold()} and starts sending. */
    public void release() {
        synchronized (this) {
            held = false;
        }
        pump();
    }

    /** Starts sending if nothing is in flight. Cheap when there is nothing to do; safe from any thread. */
    public void pump() {
        Thread me = Thread.currentThread();
        while (true) {
            String payload;
            long replayEnded;
            boolean more = false;
            synchronized (this) {
                replayEnded = inFlight || held ? 0 : nextReplayPiece();
                if (inFlight || discarded || held || replay != null && first.isEmpty()
                        || first.isEmpty() && live.isEmpty()) {
                    payload = null;
                } else {
                    payload = takeBatch();
                    more = !first.isEmpty() || replay == null && !live.isEmpty();
                    inFlight = true;
                    inFlightSinceNanos = clock.nanoTime();
                    pumpingThread = me;
                }
            }
            replayBudget.give(replayEnded);
            if (payload == null) {
                return;
            }
            try {
                if (batching && more != remoteBatching) {
                    remoteBatching = more;
                    peer.remote().setBatchingAllowed(more); // false writes what the container holds
                }
                peer.remote().sendText(payload, this);
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            synchronized (this) {
                if (pumpingThread == me) {
                    pumpingThread = null;
                }
                if (inFlight) {
                    return; // completes later; onResult continues the chain
                }
            }
            // Completed on this thread inside sendText: loop instead of recursing.
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            fail(result.getException());
            return;
        }
        boolean completedInsidePump;
        CloseReason closeNow;
        synchronized (this) {
            inFlight = false;
            lastSentNanos = clock.nanoTime();
            liveBytes -= inFlightLiveBytes;
            inFlightLiveBytes = 0;
            completedInsidePump = pumpingThread == Thread.currentThread();
            closeNow = closing;
        }
        if (closeNow != null) {
            finishClosing(closeNow);
        } else if (!completedInsidePump) {
            pump();
        }
    }

    /** The member left (its peer went): drops what is queued and ignores later offers; a send in flight carries on. */
    public void discard() {
        long replayBytes;
        synchronized (this) {
            discarded = true;
            first.clear();
            live.clear();
            liveBytes = 0;
            inFlightLiveBytes = 0;
            replay = null;
            replayBytes = replayBytesHeld;
            replayBytesHeld = 0;
        }
        replayBudget.give(replayBytes);
    }

    /**
     * The member is sent away: drops what is queued, lets the send in flight finish, then closes with this reason.
     * Once; later calls do nothing.
     */
    public void close(CloseReason reason) {
        close(reason, null);
    }

    /**
     * The same, with a last frame (chat.v1's word on why: kicked, banned) sent after the send in flight and before
     * the close; null for none.
     */
    public void close(CloseReason reason, Frame lastWord) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            closing = reason;
            closingSinceNanos = clock.nanoTime();
        }
        discard();
        synchronized (this) {
            this.lastWord = lastWord;
            if (inFlight) {
                return; // onResult sends the last word, then closes
            }
        }
        finishClosing(reason);
    }

    /** Sends the last word if one is left (its result comes back here), else closes. */
    private void finishClosing(CloseReason reason) {
        Frame word;
        synchronized (this) {
            word = lastWord;
            lastWord = null;
            if (word != null) {
                inFlight = true;
                inFlightSinceNanos = clock.nanoTime();
            }
        }
        if (word == null) {
            closeNow(reason);
            return;
        }
        try {
            if (remoteBatching) {
                remoteBatching = false;
                peer.remote().setBatchingAllowed(false);
            }
            peer.remote().sendText(word.text(), this);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * For housekeeping, on a connection being closed: closes it now, whatever is in flight, once it has waited
     * longer than the grace for its send in flight (the peer does not read on). True once the close has started.
     */
    public boolean closeIfGraceOver(long nowNanos, long graceNanos) {
        CloseReason reason;
        synchronized (this) {
            if (closeStarted) {
                return true;
            }
            reason = nowNanos - closingSinceNanos > graceNanos ? closing : null;
        }
        if (reason != null) {
            closeNow(reason);
        }
        return reason != null;
    }

    /** Closes at once, whatever is in flight (shutdown, or a close whose wait is over). Once. */
    public void closeNow(CloseReason reason) {
        discard();
        synchronized (this) {
            if (closeStarted) {
                return;
            }
            closeStarted = true;
        }
        io.execute(() -> peer.close(reason));
    }

    /**
     * True when a send has been in flight for longer than the given time: no progress for that long, the peer stopped
     * reading. The next send starts as soon as one completes, so this is also the time since the last progress.
     */
    public synchronized boolean stalledLongerThan(long nowNanos, long nanos) {
        return inFlight && nowNanos - inFlightSinceNanos > nanos;
    }

    synchronized boolean idle() {
        return !inFlight && first.isEmpty() && replay == null && live.isEmpty();
    }

    /** Idle, and no send completed for this long: the peer's socket buffer has had time to drain (see Housekeeping). */
    public synchronized boolean quietLongerThan(long nowNanos, long nanos) {
        return idle() && nanosSinceSent(nowNanos) > nanos;
    }

    /** Time since a send last completed: the peer's socket was taking data then. */
    public synchronized long nanosSinceSent(long nowNanos) {
        return nowNanos - lastSentNanos;
    }

    public void ping() {
        io.execute(peer::ping);
    }

    public synchronized long queuedBytes() {
        return liveBytes;
    }

    private void fail(Throwable cause) {
        boolean reported;
        CloseReason closeNow;
        synchronized (this) {
            reported = !discarded;
            inFlight = false;
            closeNow = closing;
        }
        discard();
        if (reported) {
            onSendFailure.accept(cause);
        }
        if (closeNow != null) {
            closeNow(closeNow);
        }
    }

    /**
     * Caller holds the lock and nothing is in flight. When the replay's last piece is sent, queues the next one
     * (if the budget has it; else this connection waits to be pumped when it does), or ends the replay: the bytes
     * to give back then, else 0.
     */
    private long nextReplayPiece() {
        if (replay == null || !first.isEmpty() || discarded) {
            return 0;
        }
        if (!replay.hasNext()) {
            replay = null;
            long held = replayBytesHeld;
            replayBytesHeld = 0;
            return held;
        }
        if (replayBytesHeld == 0) {
            if (!replayBudget.take(REPLAY_PIECE_BYTES, this)) {
                return 0;
            }
            replayBytesHeld = REPLAY_PIECE_BYTES;
        }
        for (long bytes = 0; bytes < REPLAY_PIECE_BYTES && replay.hasNext(); ) {
            Frame frame = replay.next();
            first.add(frame);
            bytes += frame.bytes();
        }
        return 0;
    }

    /**
     * Caller holds the lock. First frames (a replay's piece among them), then live once no replay is left; one
     * frame, or several joined when coalescing.
     */
    private String takeBatch() {
        ArrayDeque<Frame> source = first.isEmpty() ? live : first;
        Frame head = take(source);
        if (source.isEmpty() && (source == live || replay != null) || head.bytes() >= maxBatchBytes) {
            return head.text();
        }
        StringBuilder batch = new StringBuilder(Math.min(maxBatchBytes, head.bytes() * (source.size() + 1)) + 16);
        batch.append(head.text());
        int bytes = head.bytes();
        while (true) {
            source = !first.isEmpty() ? first : replay == null ? live : null;
            Frame next = source == null ? null : source.peek();
            if (next == null || bytes + 1 + next.bytes() > maxBatchBytes) {
                break;
            }
            take(source);
            batch.append('\n').append(next.text());
            bytes += 1 + next.bytes();
        }
        return batch.toString();
    }

    private Frame take(ArrayDeque<Frame> source) {
        Frame frame = source.poll();
        if (source == live) {
            inFlightLiveBytes += frame.bytes();
        }
        return frame;
    }

    @Override
    public String toString() {
        return peer.id();
    }
}
